package io.slipway.api.deploykeys.web;

import io.slipway.api.deploykeys.AddDeployKey;
import io.slipway.api.deploykeys.AppDeployKeys;
import io.slipway.api.deploykeys.DeployKey;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * Slipway's API for deploy keys (Dokku-alt's habit; Heroku has none): {@code POST /apps/{app}/deploy-keys}
 * {@code {"public_key": "ssh-ed25519 AAAA... ci", "name"?: "ci"}}, list, show and remove by id, name or
 * fingerprint (percent-encoded: it contains {@code /} and {@code +}). The app's owner and collaborators manage
 * them. See docs/git-gateway.md.
 */
@RestController
public class DeployKeysController {
    private final AppDeployKeys appDeployKeys;
    private final AddDeployKey addDeployKey;
    private final ObjectMapper mapper;

    public DeployKeysController(AppDeployKeys appDeployKeys, AddDeployKey addDeployKey, ObjectMapper mapper) {
        this.appDeployKeys = appDeployKeys;
        this.addDeployKey = addDeployKey;
        this.mapper = mapper;
    }

    @GetMapping("/apps/{app}/deploy-keys")
    public ResponseEntity<List<DeployKeyJson>> list(Caller caller, @PathVariable String app,
                                                    @RequestHeader(value = "Range", required = false) String range) {
        AppDeployKeys.Listed listed = appDeployKeys.list(caller, app);
        return Paged.of(listed.keys())
                .by("id", k -> k.id().toString())
                .by("name", DeployKey::name)
                .respond(range, k -> DeployKeyJson.of(k, listed.app()));
    }

    @PostMapping("/apps/{app}/deploy-keys")
    public ResponseEntity<DeployKeyJson> add(Caller caller, @PathVariable String app,
                                             @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        AddDeployKey.Added added = addDeployKey.add(caller, app, json.requireString("public_key"), json.optString("name"));
        return ResponseEntity.status(HttpStatus.CREATED).body(DeployKeyJson.of(added.key(), added.app()));
    }

    @GetMapping("/apps/{app}/deploy-keys/{key}")
    public DeployKeyJson info(Caller caller, @PathVariable String app, @PathVariable String key) {
        AppDeployKeys.Found found = appDeployKeys.find(caller, app, key);
        return DeployKeyJson.of(found.key(), found.app());
    }

    @DeleteMapping("/apps/{app}/deploy-keys/{key}")
    public DeployKeyJson remove(Caller caller, @PathVariable String app, @PathVariable String key) {
        AppDeployKeys.Found removed = appDeployKeys.remove(caller, app, key);
        return DeployKeyJson.of(removed.key(), removed.app());
    }
}

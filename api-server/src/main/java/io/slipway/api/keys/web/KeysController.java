package io.slipway.api.keys.web;

import io.slipway.api.keys.AddSshKey;
import io.slipway.api.keys.OwnKeys;
import io.slipway.api.keys.RemoveSshKey;
import io.slipway.api.keys.SshKey;
import io.slipway.api.keys.SshKeyRepository;
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
 * Platform API: the caller's SSH keys. {@code POST /account/keys} is not among the schema's links, but it is
 * what {@code heroku keys:add} sends. A fingerprint in the path contains {@code /} and arrives percent-encoded
 * (see {@code web.EncodedSlashes}).
 */
@RestController
public class KeysController {
    private final SshKeyRepository keys;
    private final OwnKeys ownKeys;
    private final AddSshKey addSshKey;
    private final RemoveSshKey removeSshKey;
    private final ObjectMapper mapper;

    public KeysController(SshKeyRepository keys, OwnKeys ownKeys, AddSshKey addSshKey, RemoveSshKey removeSshKey,
                          ObjectMapper mapper) {
        this.keys = keys;
        this.ownKeys = ownKeys;
        this.addSshKey = addSshKey;
        this.removeSshKey = removeSshKey;
        this.mapper = mapper;
    }

    @GetMapping("/account/keys")
    public ResponseEntity<List<KeyJson>> list(Caller caller, @RequestHeader(value = "Range", required = false) String range) {
        return Paged.of(keys.findByAccountIdOrderByCreatedAt(caller.accountId()))
                .by("id", k -> k.id().toString())
                .by("fingerprint", SshKey::fingerprint)
                .respond(range, k -> KeyJson.of(k, caller.email()));
    }

    @PostMapping("/account/keys")
    public ResponseEntity<KeyJson> add(Caller caller, @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        SshKey key = addSshKey.add(caller.accountId(), json.requireString("public_key"));
        return ResponseEntity.status(HttpStatus.CREATED).body(KeyJson.of(key, caller.email()));
    }

    @GetMapping("/account/keys/{key}")
    public KeyJson info(Caller caller, @PathVariable String key) {
        return KeyJson.of(ownKeys.find(caller.accountId(), key), caller.email());
    }

    @DeleteMapping("/account/keys/{key}")
    public KeyJson remove(Caller caller, @PathVariable String key) {
        return KeyJson.of(removeSshKey.remove(caller.accountId(), key), caller.email());
    }
}

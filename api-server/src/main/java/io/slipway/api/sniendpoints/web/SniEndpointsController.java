package io.slipway.api.sniendpoints.web;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.sniendpoints.AppSniEndpoints;
import io.slipway.api.sniendpoints.CreateSniEndpoint;
import io.slipway.api.sniendpoints.DeleteSniEndpoint;
import io.slipway.api.sniendpoints.UpdateSniEndpoint;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** Platform API: SNI endpoints ({@code heroku certs}, {@code certs:add|info|update|remove}); docs/certificates.md. */
@RestController
public class SniEndpointsController {
    private final AppAccess access;
    private final AppSniEndpoints appEndpoints;
    private final CreateSniEndpoint create;
    private final UpdateSniEndpoint update;
    private final DeleteSniEndpoint delete;
    private final ObjectMapper mapper;

    public SniEndpointsController(AppAccess access, AppSniEndpoints appEndpoints, CreateSniEndpoint create,
                                  UpdateSniEndpoint update, DeleteSniEndpoint delete, ObjectMapper mapper) {
        this.access = access;
        this.appEndpoints = appEndpoints;
        this.create = create;
        this.update = update;
        this.delete = delete;
        this.mapper = mapper;
    }

    @GetMapping("/apps/{app}/sni-endpoints")
    public List<SniEndpointJson> list(Caller caller, @PathVariable String app) {
        App a = access.visible(caller, app);
        return appEndpoints.list(a).stream().map(SniEndpointJson::of).toList();
    }

    @GetMapping("/apps/{app}/sni-endpoints/{endpoint}")
    public SniEndpointJson info(Caller caller, @PathVariable String app, @PathVariable String endpoint) {
        App a = access.visible(caller, app);
        return SniEndpointJson.of(appEndpoints.view(a, appEndpoints.find(a, endpoint)));
    }

    @PostMapping("/apps/{app}/sni-endpoints")
    public ResponseEntity<SniEndpointJson> create(Caller caller, @PathVariable String app,
                                                  @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        var view = create.create(caller, app, json.requireString("certificate_chain"), json.requireString("private_key"));
        return ResponseEntity.status(HttpStatus.CREATED).body(SniEndpointJson.of(view));
    }

    @PatchMapping("/apps/{app}/sni-endpoints/{endpoint}")
    public SniEndpointJson update(Caller caller, @PathVariable String app, @PathVariable String endpoint,
                                  @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        return SniEndpointJson.of(update.update(caller, app, endpoint, json.requireString("certificate_chain"),
                json.requireString("private_key")));
    }

    @DeleteMapping("/apps/{app}/sni-endpoints/{endpoint}")
    public SniEndpointJson delete(Caller caller, @PathVariable String app, @PathVariable String endpoint) {
        return SniEndpointJson.of(delete.delete(caller, app, endpoint));
    }
}

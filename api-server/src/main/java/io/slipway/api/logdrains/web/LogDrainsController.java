package io.slipway.api.logdrains.web;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.logdrains.AddLogDrain;
import io.slipway.api.logdrains.AppDrains;
import io.slipway.api.logdrains.LogDrain;
import io.slipway.api.logdrains.LogDrainRepository;
import io.slipway.api.logdrains.RemoveLogDrain;
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
 * Platform API: an app's log drains. {@code heroku drains:remove URL} puts the URL percent-encoded into the
 * path ({@code /log-drains/https%3A%2F%2F...}); {@code web.EncodedSlashes} lets the encoded slashes through.
 */
@RestController
public class LogDrainsController {
    private final AppAccess access;
    private final LogDrainRepository drains;
    private final AppDrains appDrains;
    private final AddLogDrain addLogDrain;
    private final RemoveLogDrain removeLogDrain;
    private final ObjectMapper mapper;

    public LogDrainsController(AppAccess access, LogDrainRepository drains, AppDrains appDrains,
                               AddLogDrain addLogDrain, RemoveLogDrain removeLogDrain, ObjectMapper mapper) {
        this.access = access;
        this.drains = drains;
        this.appDrains = appDrains;
        this.addLogDrain = addLogDrain;
        this.removeLogDrain = removeLogDrain;
        this.mapper = mapper;
    }

    @GetMapping("/apps/{app}/log-drains")
    public ResponseEntity<List<LogDrainJson>> list(Caller caller, @PathVariable String app,
                                                   @RequestHeader(value = "Range", required = false) String range) {
        App found = access.visible(caller, app);
        return Paged.of(drains.findByAppIdOrderByCreatedAt(found.id()))
                .by("id", d -> d.id().toString())
                .by("url", LogDrain::url)
                .respond(range, d -> LogDrainJson.of(d, found));
    }

    @PostMapping("/apps/{app}/log-drains")
    public ResponseEntity<LogDrainJson> add(Caller caller, @PathVariable String app,
                                            @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        AddLogDrain.Added added = addLogDrain.add(caller, app, json.optString("url"));
        return ResponseEntity.status(HttpStatus.CREATED).body(LogDrainJson.of(added.drain(), added.app()));
    }

    @GetMapping("/apps/{app}/log-drains/{drain}")
    public LogDrainJson info(Caller caller, @PathVariable String app, @PathVariable String drain) {
        App found = access.visible(caller, app);
        return LogDrainJson.of(appDrains.find(found, drain), found);
    }

    @DeleteMapping("/apps/{app}/log-drains/{drain}")
    public LogDrainJson remove(Caller caller, @PathVariable String app, @PathVariable String drain) {
        RemoveLogDrain.Removed removed = removeLogDrain.remove(caller, app, drain);
        return LogDrainJson.of(removed.drain(), removed.app());
    }
}

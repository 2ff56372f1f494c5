package io.slipway.api.dynos.web;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.dynos.Dyno;
import io.slipway.api.dynos.DynoRepository;
import io.slipway.api.dynos.DynoTargets;
import io.slipway.api.dynos.RestartDynos;
import io.slipway.api.dynos.StopDynos;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.Caller;
import io.slipway.api.web.Paged;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dynos: {@code heroku ps}, {@code ps:restart}, {@code ps:stop}. Restarts and stops are requests the runtime
 * carries out, so they answer 202 with {@code {}} (the CLI reads nothing). Note the plural
 * {@code /formations/{type}} paths: that is what the CLI calls for {@code -p TYPE}.
 */
@RestController
public class DynosController {
    private final AppAccess access;
    private final DynoRepository dynos;
    private final ReleaseRepository releases;
    private final DynoTargets targets;
    private final RestartDynos restartDynos;
    private final StopDynos stopDynos;

    public DynosController(AppAccess access, DynoRepository dynos, ReleaseRepository releases, DynoTargets targets,
                           RestartDynos restartDynos, StopDynos stopDynos) {
        this.access = access;
        this.dynos = dynos;
        this.releases = releases;
        this.targets = targets;
        this.restartDynos = restartDynos;
        this.stopDynos = stopDynos;
    }

    @GetMapping("/apps/{app}/dynos")
    public ResponseEntity<List<DynoJson>> list(Caller caller, @PathVariable String app,
                                               @RequestHeader(value = "Range", required = false) String range) {
        App a = access.visible(caller, app);
        List<Dyno> all = dynos.findByAppIdOrderByName(a.id());
        Map<UUID, Release> byId = releases.findAllById(all.stream().map(Dyno::releaseId)
                        .filter(Objects::nonNull).distinct().toList())
                .stream().collect(Collectors.toMap(Release::id, Function.identity()));
        return Paged.of(all)
                .by("name", Dyno::name)
                .by("id", d -> d.id().toString())
                .respond(range, d -> DynoJson.of(d, a, d.releaseId() == null ? null : byId.get(d.releaseId())));
    }

    @GetMapping("/apps/{app}/dynos/{dyno}")
    public DynoJson info(Caller caller, @PathVariable String app, @PathVariable String dyno) {
        App a = access.visible(caller, app);
        Dyno d = targets.requireDyno(a, dyno);
        return DynoJson.of(d, a, d.releaseId() == null ? null : releases.findById(d.releaseId()).orElse(null));
    }

    /** {@code heroku run} needs the runtime's rendezvous; until it exists the answer says so plainly. */
    @PostMapping("/apps/{app}/dynos")
    public void run(Caller caller, @PathVariable String app) {
        access.visible(caller, app);
        throw ApiErrors.invalidParams("One-off dynos (heroku run) are not available yet on this Slipway.");
    }

    @DeleteMapping("/apps/{app}/dynos")
    public ResponseEntity<Map<String, Object>> restartAll(Caller caller, @PathVariable String app) {
        restartDynos.all(caller, app);
        return accepted();
    }

    @DeleteMapping("/apps/{app}/dynos/{dyno}")
    public ResponseEntity<Map<String, Object>> restartDyno(Caller caller, @PathVariable String app,
                                                           @PathVariable String dyno) {
        restartDynos.dyno(caller, app, dyno);
        return accepted();
    }

    @DeleteMapping("/apps/{app}/formations/{type}")
    public ResponseEntity<Map<String, Object>> restartType(Caller caller, @PathVariable String app,
                                                           @PathVariable String type) {
        restartDynos.type(caller, app, type);
        return accepted();
    }

    @PostMapping("/apps/{app}/dynos/{dyno}/actions/stop")
    public ResponseEntity<Map<String, Object>> stopDyno(Caller caller, @PathVariable String app,
                                                        @PathVariable String dyno) {
        stopDynos.dyno(caller, app, dyno);
        return accepted();
    }

    @PostMapping("/apps/{app}/formations/{type}/actions/stop")
    public ResponseEntity<Map<String, Object>> stopType(Caller caller, @PathVariable String app,
                                                        @PathVariable String type) {
        stopDynos.type(caller, app, type);
        return accepted();
    }

    private static ResponseEntity<Map<String, Object>> accepted() {
        return ResponseEntity.accepted().body(Map.of());
    }
}

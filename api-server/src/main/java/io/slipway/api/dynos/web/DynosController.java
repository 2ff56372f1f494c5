package io.slipway.api.dynos.web;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.dynos.Dyno;
import io.slipway.api.dynos.DynoRepository;
import io.slipway.api.dynos.DynoTargets;
import io.slipway.api.dynos.RestartDynos;
import io.slipway.api.dynos.RunDyno;
import io.slipway.api.dynos.StopDynos;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import java.util.LinkedHashMap;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Dynos: {@code heroku ps}, {@code ps:restart}, {@code ps:stop}, {@code heroku run}. Restarts and stops are requests the runtime
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
    private final RunDyno runDyno;
    private final ObjectMapper mapper;

    public DynosController(AppAccess access, DynoRepository dynos, ReleaseRepository releases, DynoTargets targets,
                           RestartDynos restartDynos, StopDynos stopDynos, RunDyno runDyno, ObjectMapper mapper) {
        this.access = access;
        this.dynos = dynos;
        this.releases = releases;
        this.targets = targets;
        this.restartDynos = restartDynos;
        this.stopDynos = stopDynos;
        this.runDyno = runDyno;
        this.mapper = mapper;
    }

    @GetMapping("/apps/{app}/dynos")
    public ResponseEntity<List<DynoJson>> list(Caller caller, @PathVariable String app,
                                               @RequestHeader(value = "Range", required = false) String range) {
        App a = access.visible(caller, app);
        // one row per name: during a deploy the newer of two same-named dynos (the old one is retired soon)
        Map<String, Dyno> byName = new LinkedHashMap<>();
        for (Dyno d : dynos.findByAppIdAndDesiredStateOrderByNameAscCreatedAtDesc(a.id(), Dyno.DESIRED_UP)) {
            byName.putIfAbsent(d.name(), d);
        }
        List<Dyno> all = List.copyOf(byName.values());
        Map<UUID, Release> byId = releases.findAllById(all.stream().map(Dyno::releaseId)
                        .filter(Objects::nonNull).distinct().toList())
                .stream().collect(Collectors.toMap(Release::id, Function.identity()));
        return Paged.of(all)
                .by("name", Dyno::name)
                .by("id", d -> d.id().toString())
                .respond(range, d -> DynoJson.of(d, a, d.releaseId() == null ? null : byId.get(d.releaseId()),
                        caller.accountId()));
    }

    @GetMapping("/apps/{app}/dynos/{dyno}")
    public DynoJson info(Caller caller, @PathVariable String app, @PathVariable String dyno) {
        App a = access.visible(caller, app);
        Dyno d = targets.requireDyno(a, dyno);
        Release release = d.releaseId() == null ? null : releases.findById(d.releaseId()).orElse(null);
        return DynoJson.of(d, a, release, caller.accountId());
    }

    /**
     * {@code heroku run} / {@code run:detached}: body per cli-compat C.2 ({@code command}, {@code attach},
     * {@code env}, {@code force_no_tty}, {@code size}, {@code type}, {@code time_to_live}). Answers 201 with
     * the dyno; {@code attach_url} is the rendezvous URL when attaching, else null.
     */
    @PostMapping("/apps/{app}/dynos")
    public ResponseEntity<DynoJson> run(Caller caller, @PathVariable String app,
                                        @RequestBody(required = false) String body) {
        App a = access.visible(caller, app);
        JsonBody json = JsonBody.parse(mapper, body);
        Boolean attach = json.optBoolean("attach");
        Boolean noTty = json.optBoolean("force_no_tty");
        JsonNode ttl = json.node("time_to_live");
        if (ttl != null && !ttl.isNull() && !ttl.isNumber()) {
            throw ApiErrors.invalidParams("Invalid `time_to_live`: expected a number of seconds.");
        }
        UUID id = runDyno.run(caller, app, new RunDyno.Request(json.requireString("command"),
                Boolean.TRUE.equals(attach), env(json.node("env")), !Boolean.TRUE.equals(noTty),
                json.optString("size"), json.optString("type")));
        Dyno d = dynos.findById(id).orElseThrow();
        Release release = releases.findById(d.releaseId()).orElse(null);
        return ResponseEntity.status(201).body(DynoJson.of(d, a, release, caller.accountId()));
    }

    /** The run's environment: strings, and numbers as text (the CLI sends {@code COLUMNS}/{@code LINES} as numbers). */
    private static Map<String, String> env(JsonNode env) {
        Map<String, String> out = new LinkedHashMap<>();
        if (env == null || env.isNull()) return out;
        if (!env.isObject()) throw ApiErrors.invalidParams("Invalid `env`: expected an object.");
        for (var e : env.properties()) {
            JsonNode v = e.getValue();
            if (v.isString()) out.put(e.getKey(), v.asString());
            else if (v.isNumber() || v.isBoolean()) out.put(e.getKey(), v.asText());
            else if (!v.isNull()) throw ApiErrors.invalidParams("Invalid `env`: the value of " + e.getKey() + " must be a string.");
        }
        return out;
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

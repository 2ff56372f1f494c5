package io.slipway.api.formation.web;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.formation.FindFormation;
import io.slipway.api.formation.FormationRepository;
import io.slipway.api.formation.ScaleFormation;
import io.slipway.api.releases.phase.NewestReleasePhase;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The formation: {@code heroku ps:scale} (listing and scaling). The CLI sends quantities as strings
 * ({@code "2"}, {@code "+1"}) and the size as {@code size}; other clients send numbers and
 * {@code dyno_size: {name}}. Both are accepted. When the app's newest release has a release phase, the list
 * (and {@code GET .../formation/release}) shows it as the type {@code release}, quantity 0, as Heroku does:
 * {@code heroku releases:retry} requires it. It is never stored, so the scheduler, the agents, the router and
 * the quotas, which read the stored formation, never see it; {@link ScaleFormation} refuses to scale it.
 */
@RestController
public class FormationController {
    private final AppAccess access;
    private final FormationRepository formations;
    private final FindFormation findFormation;
    private final ScaleFormation scaleFormation;
    private final ObjectMapper mapper;
    private final NewestReleasePhase releasePhase;

    public FormationController(AppAccess access, FormationRepository formations, FindFormation findFormation,
                               ScaleFormation scaleFormation, ObjectMapper mapper, NewestReleasePhase releasePhase) {
        this.releasePhase = releasePhase;
        this.access = access;
        this.formations = formations;
        this.findFormation = findFormation;
        this.scaleFormation = scaleFormation;
        this.mapper = mapper;
    }

    @GetMapping("/apps/{app}/formation")
    public ResponseEntity<List<FormationJson>> list(Caller caller, @PathVariable String app,
                                                    @RequestHeader(value = "Range", required = false) String range) {
        App a = access.visible(caller, app);
        List<FormationJson> all = new ArrayList<>(formations.findByAppIdOrderByType(a.id()).stream()
                .map(f -> FormationJson.of(f, a)).toList());
        releaseEntry(a).ifPresent(all::add);
        return Paged.of(all)
                .by("type", FormationJson::type)
                .by("id", f -> f.id().toString())
                .respond(range, f -> f);
    }

    @GetMapping("/apps/{app}/formation/{formation}")
    public FormationJson info(Caller caller, @PathVariable String app, @PathVariable String formation) {
        App a = access.visible(caller, app);
        Optional<FormationJson> stored = findFormation.of(a, formation).map(f -> FormationJson.of(f, a));
        return stored.or(() -> releaseEntry(a).filter(r -> r.type().equals(formation)
                        || r.id().toString().equalsIgnoreCase(formation)))
                .orElseThrow(() -> ApiErrors.notFound("formation", formation));
    }

    private Optional<FormationJson> releaseEntry(App app) {
        return releasePhase.of(app).map(entry -> FormationJson.releasePhase(entry, app));
    }

    @PatchMapping("/apps/{app}/formation")
    public List<FormationJson> batchUpdate(Caller caller, @PathVariable String app,
                                           @RequestBody(required = false) String body) {
        App a = access.visible(caller, app);
        JsonNode updates = JsonBody.parse(mapper, body).node("updates");
        if (updates == null || updates.isNull()) throw ApiErrors.invalidParams("Missing required param `updates`.");
        if (!updates.isArray()) throw ApiErrors.invalidParams("Invalid `updates`: expected an array.");
        List<ScaleFormation.Update> parsed = new ArrayList<>();
        for (JsonNode u : updates) {
            if (!u.isObject()) throw ApiErrors.invalidParams("Invalid `updates`: each update must be an object.");
            JsonNode type = u.get("type");
            if (type == null || !type.isString()) {
                throw ApiErrors.invalidParams("Each update needs a `type`: the process type to scale.");
            }
            parsed.add(new ScaleFormation.Update(type.asString(), quantity(u), size(u)));
        }
        return scaleFormation.scale(caller, a.id().toString(), parsed).stream()
                .map(f -> FormationJson.of(f, a)).toList();
    }

    @PatchMapping("/apps/{app}/formation/{formation}")
    public FormationJson update(Caller caller, @PathVariable String app, @PathVariable String formation,
                                @RequestBody(required = false) String body) {
        App a = access.visible(caller, app);
        JsonNode json = JsonBody.parse(mapper, body).root();
        return FormationJson.of(scaleFormation.scaleOne(caller, a.id().toString(), formation,
                quantity(json), size(json)), a);
    }

    /** {@code "2"}, {@code "+1"}, {@code 2}; null when absent. */
    private static String quantity(JsonNode update) {
        JsonNode q = update.get("quantity");
        if (q == null || q.isNull()) return null;
        if (q.isString()) return q.asString();
        if (q.isIntegralNumber() && q.canConvertToInt()) return String.valueOf(q.intValue());
        throw ApiErrors.invalidParams("Invalid `quantity`: expected a number of dynos.");
    }

    /** {@code size: "Basic"} (the CLI), or {@code dyno_size: "Basic" | {"name": ...} | {"id": ...}}. */
    private static String size(JsonNode update) {
        JsonNode d = update.get("dyno_size");
        if (d != null && !d.isNull()) {
            if (d.isString()) return d.asString();
            if (d.isObject()) {
                for (String key : new String[] {"name", "id"}) {
                    JsonNode v = d.get(key);
                    if (v != null && v.isString()) return v.asString();
                }
            }
            throw ApiErrors.invalidParams("Invalid `dyno_size`: expected a dyno size name or {\"name\": ...}.");
        }
        JsonNode s = update.get("size");
        if (s == null || s.isNull()) return null;
        if (s.isString()) return s.asString();
        throw ApiErrors.invalidParams("Invalid `size`: expected a dyno size name such as Basic.");
    }
}

package io.slipway.api.appsetups.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.applifecycle.CreateApp;
import io.slipway.api.appsetups.AppSetup;
import io.slipway.api.appsetups.AppSetupRepository;
import io.slipway.api.appsetups.CreateAppSetup;
import io.slipway.api.builds.Build;
import io.slipway.api.builds.BuildRepository;
import io.slipway.api.builds.web.BuildOutputController;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.identity.Identities;
import io.slipway.api.web.JsonBody;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Heroku Button API: {@code POST /app-setups} answers at once with a {@code pending} setup and its new app;
 * the client polls {@code GET /app-setups/{id}}. Only the user who created a setup can see it; anyone else gets
 * the same not_found as for an id that does not exist.
 */
@RestController
public class AppSetupsController {
    private final CreateAppSetup createAppSetup;
    private final AppSetupRepository setups;
    private final AppRepository apps;
    private final BuildRepository builds;
    private final ApiServerConfig config;
    private final ObjectMapper mapper;

    public AppSetupsController(CreateAppSetup createAppSetup, AppSetupRepository setups, AppRepository apps,
                               BuildRepository builds, ApiServerConfig config, ObjectMapper mapper) {
        this.createAppSetup = createAppSetup;
        this.setups = setups;
        this.apps = apps;
        this.builds = builds;
        this.config = config;
        this.mapper = mapper;
    }

    /** {@code {"source_blob": {"url", "version"?}, "app"?: {"name", "region", "stack"}, "overrides"?: {"env", "buildpacks"}}} */
    @PostMapping("/app-setups")
    public ResponseEntity<AppSetupJson> create(Caller caller, @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        JsonNode blob = json.node("source_blob");
        if (blob == null || !blob.isObject()) throw ApiErrors.invalidParams("Missing required param `source_blob.url`.");
        Build.Source source = new Build.Source(text(blob, "url", "source_blob.url"),
                text(blob, "version", "source_blob.version"), null, null);
        JsonNode app = object(json.node("app"), "app");
        JsonNode overrides = object(json.node("overrides"), "overrides");
        CreateAppSetup.Created created = createAppSetup.create(caller, new CreateAppSetup.Request(source,
                new CreateApp.Request(text(app, "name", "app.name"), text(app, "region", "app.region"),
                        text(app, "stack", "app.stack")),
                env(overrides.get("env")), buildpacks(overrides.get("buildpacks"))));
        return ResponseEntity.status(HttpStatus.CREATED).body(present(created.setup(), created.app()));
    }

    @GetMapping("/app-setups/{id}")
    public AppSetupJson info(Caller caller, @PathVariable String id) {
        UUID uuid = Identities.uuidOrNull(id);
        AppSetup setup = uuid == null ? null : setups.findById(uuid).orElse(null);
        if (setup == null || !setup.userId().equals(caller.accountId())) throw ApiErrors.notFound("app-setup", id);
        App app = apps.findById(setup.appId()).orElseThrow(() -> ApiErrors.notFound("app-setup", id));
        return present(setup, app);
    }

    private AppSetupJson present(AppSetup s, App app) {
        Build build = s.buildId() == null ? null : builds.findById(s.buildId()).orElse(null);
        AppSetupJson.BuildRef buildRef = build == null ? null : new AppSetupJson.BuildRef(build.id(), build.status(),
                config.publicOrigin() + BuildOutputController.PATH_PREFIX + build.id() + "/" + build.outputToken());
        List<String> errors = mapper.readValue(s.manifestErrors(), new TypeReference<>() {});
        return new AppSetupJson(s.id(), s.createdAt(), s.updatedAt(), new AppSetupJson.AppRef(app.id(), app.name()),
                buildRef, s.failureMessage(), errors,
                s.postdeployOutput() == null ? null : new AppSetupJson.Postdeploy(s.postdeployExitCode(), s.postdeployOutput()),
                AppSetup.SUCCEEDED.equals(s.status()) ? s.resolvedSuccessUrl() : null, s.status());
    }

    private static JsonNode object(JsonNode node, String name) {
        if (node == null || node.isNull()) return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (!node.isObject()) throw ApiErrors.invalidParams("Invalid `" + name + "`: expected an object.");
        return node;
    }

    private static String text(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isString()) throw ApiErrors.invalidParams("Invalid `" + path + "`: expected a string.");
        return n.asString();
    }

    private static Map<String, String> env(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) return out;
        if (!node.isObject()) throw ApiErrors.invalidParams("Invalid `overrides.env`: expected an object of strings.");
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isString()) {
                throw ApiErrors.invalidParams("Invalid `overrides.env." + e.getKey() + "`: expected a string.");
            }
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    /** Heroku's {@code [{"url": "..."}]}; plain strings are taken too. */
    private static List<String> buildpacks(JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (!node.isArray()) throw ApiErrors.invalidParams("Invalid `overrides.buildpacks`: expected an array of {\"url\": ...}.");
        List<String> out = new ArrayList<>();
        for (JsonNode b : node) {
            if (b.isString()) out.add(b.asString());
            else if (b.path("url").isString()) out.add(b.get("url").asString());
            else throw ApiErrors.invalidParams("Invalid `overrides.buildpacks`: each entry needs a `url` string.");
        }
        return out;
    }
}

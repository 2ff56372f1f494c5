package io.slipway.api.buildpacks.web;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.buildpacks.BuildpackInstallationRepository;
import io.slipway.api.buildpacks.ReplaceBuildpacks;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Platform API: an app's buildpacks, in order. Not paged (a handful at most), so a {@code Range} header, such as
 * the empty one the CLI sends with its PUT, is ignored.
 */
@RestController
public class BuildpackInstallationsController {
    private final AppAccess access;
    private final BuildpackInstallationRepository installations;
    private final ReplaceBuildpacks replaceBuildpacks;
    private final ObjectMapper mapper;

    public BuildpackInstallationsController(AppAccess access, BuildpackInstallationRepository installations,
                                            ReplaceBuildpacks replaceBuildpacks, ObjectMapper mapper) {
        this.access = access;
        this.installations = installations;
        this.replaceBuildpacks = replaceBuildpacks;
        this.mapper = mapper;
    }

    @GetMapping("/apps/{app}/buildpack-installations")
    public List<BuildpackInstallationJson> list(Caller caller, @PathVariable String app) {
        App found = access.visible(caller, app);
        return installations.findByAppIdOrderByOrdinal(found.id()).stream().map(BuildpackInstallationJson::of).toList();
    }

    @PutMapping("/apps/{app}/buildpack-installations")
    public List<BuildpackInstallationJson> replace(Caller caller, @PathVariable String app,
                                                   @RequestBody(required = false) String body) {
        List<String> buildpacks = updates(JsonBody.parse(mapper, body));
        return replaceBuildpacks.replace(caller, app, buildpacks).installations().stream()
                .map(BuildpackInstallationJson::of).toList();
    }

    /** {@code {"updates": [{"buildpack": "heroku/nodejs"}, ...]}}, nothing else in an update. */
    private static List<String> updates(JsonBody json) {
        JsonNode updates = json.node("updates");
        if (updates == null || updates.isNull()) throw ApiErrors.invalidParams("Missing required param `updates`.");
        if (!updates.isArray()) throw ApiErrors.invalidParams("Invalid `updates`: expected an array.");
        List<String> out = new ArrayList<>();
        for (JsonNode update : updates) {
            JsonNode buildpack = update.isObject() ? update.get("buildpack") : null;
            if (buildpack == null || !buildpack.isString() || update.size() != 1) {
                throw ApiErrors.invalidParams("Invalid `updates`: each element must be {\"buildpack\": \"<name or URL>\"}.");
            }
            out.add(buildpack.asString());
        }
        return out;
    }
}

package io.slipway.api.configvars.web;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.configvars.ConfigVarRules;
import io.slipway.api.configvars.SetConfigVars;
import io.slipway.api.releases.FindRelease;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Config vars: {@code heroku config}, {@code config:get}, {@code config:set}, {@code config:unset}, and a
 * release's snapshot for {@code releases:info}. The JSON is a plain {@code {"KEY": "value"}} object, keys
 * sorted.
 */
@RestController
public class ConfigVarsController {
    private final AppAccess access;
    private final SetConfigVars setConfigVars;
    private final FindRelease findRelease;
    private final ObjectMapper mapper;

    public ConfigVarsController(AppAccess access, SetConfigVars setConfigVars, FindRelease findRelease,
                                ObjectMapper mapper) {
        this.access = access;
        this.setConfigVars = setConfigVars;
        this.findRelease = findRelease;
        this.mapper = mapper;
    }

    @GetMapping("/apps/{app}/config-vars")
    public Map<String, String> info(Caller caller, @PathVariable String app) {
        return new TreeMap<>(access.visible(caller, app).configVars());
    }

    @PatchMapping("/apps/{app}/config-vars")
    public Map<String, String> update(Caller caller, @PathVariable String app,
                                      @RequestBody(required = false) String body) {
        Map<String, String> changes;
        try {
            changes = changes(JsonBody.parse(mapper, body));
        } catch (RuntimeException invalid) {
            access.visible(caller, app); // another tenant's app is not_found whatever the body says
            throw invalid;
        }
        // the visibility check of the valid case is SetConfigVars' own, in the transaction that changes the app
        return setConfigVars.update(caller, app, changes).config();
    }

    @GetMapping("/apps/{app}/releases/{release}/config-vars")
    public Map<String, String> ofRelease(Caller caller, @PathVariable String app, @PathVariable String release) {
        App a = access.visible(caller, app);
        return new TreeMap<>(findRelease.of(a, release).configVars());
    }

    /** Values must be JSON strings, or null to remove; a number or boolean is refused rather than coerced. */
    private static Map<String, String> changes(JsonBody json) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : json.fields().entrySet()) {
            ConfigVarRules.requireValidKey(field.getKey());
            JsonNode value = field.getValue();
            if (value.isNull()) {
                changes.put(field.getKey(), null);
            } else if (value.isString()) {
                changes.put(field.getKey(), value.asString());
            } else {
                throw ApiErrors.invalidParams("Invalid value for config var " + field.getKey()
                        + ": values must be strings (or null to remove the var).");
            }
        }
        return changes;
    }
}

package io.slipway.api.appsetups;

import io.slipway.api.errors.DomainException;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.addons.CreateAddon;
import io.slipway.api.apps.App;
import io.slipway.api.builds.Build;
import io.slipway.api.builds.CreateBuild;
import io.slipway.api.buildpacks.ReplaceBuildpacks;
import io.slipway.api.configvars.SetConfigVars;
import io.slipway.api.identity.Caller;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * What app.json asks for, applied as the setup's user through the same use cases (and so the same checks and
 * quotas) as their own API calls: config vars (app.json's {@code env}, then the request's {@code overrides.env}),
 * buildpacks, add-ons (through the add-on API), then the build of the same {@code source_blob.url}. A
 * {@link SetupFailedException} or an {@link DomainException} fails the setup with its message.
 */
@Service
public class ApplyManifest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SetConfigVars setConfigVars;
    private final CreateAddon createAddon;
    private final ReplaceBuildpacks replaceBuildpacks;
    private final CreateBuild createBuild;
    private final ApiServerConfig config;
    private final ObjectMapper mapper;

    public ApplyManifest(SetConfigVars setConfigVars, CreateAddon createAddon, ReplaceBuildpacks replaceBuildpacks,
                         CreateBuild createBuild, ApiServerConfig config, ObjectMapper mapper) {
        this.setConfigVars = setConfigVars;
        this.createAddon = createAddon;
        this.replaceBuildpacks = replaceBuildpacks;
        this.createBuild = createBuild;
        this.config = config;
        this.mapper = mapper;
    }

    /** A setup that cannot go on; the message becomes {@code failure_message}. */
    public static final class SetupFailedException extends RuntimeException {
        public SetupFailedException(String message) { super(message); }
    }

    /** The {@code fetch} phase, in the poller's transaction: config vars and buildpacks, the rest kept for later. */
    public void configure(AppSetup setup, App app, Caller caller, AppJson manifest) {
        List<String> errors = new ArrayList<>(manifest.errors());
        Map<String, String> vars = configVars(manifest, setup.overridesEnv());
        if (!vars.isEmpty()) setConfigVars.update(caller, app.name(), vars);
        List<String> buildpacks = setup.overridesBuildpacks() != null ? setup.overridesBuildpacks() : manifest.buildpacks();
        if (buildpacks != null && !buildpacks.isEmpty()) replaceBuildpacks.replace(caller, app.name(), buildpacks);
        if (manifest.stack() != null && !manifest.stack().equals(app.stack())) {
            errors.add("stack " + manifest.stack() + " was not applied: the app uses " + app.stack());
        }
        setup.configured(mapper.writeValueAsString(manifest.addons()), mapper.writeValueAsString(manifest.formation()),
                mapper.writeValueAsString(errors), successUrl(app, manifest.successUrl()),
                manifest.postdeploy() == null || manifest.postdeploy().isBlank() ? null : manifest.postdeploy());
    }

    /**
     * Creates one add-on, outside any transaction of the setup's: {@link CreateAddon} provisions, then records
     * in transactions of its own, and undoes the resource if it cannot attach it.
     */
    public void createAddon(App app, Caller caller, AppJson.AddonSpec addon) {
        try {
            createAddon.create(caller, new CreateAddon.Request(app.name(), addon.plan(), addon.as(), null, null, Map.of()));
        } catch (DomainException e) {
            throw new SetupFailedException("Could not provision the add-on " + addon.plan() + ": " + e.getMessage());
        }
    }

    /** The end of the {@code addons} phase: the build of the same {@code source_blob.url}. */
    public void queueBuild(AppSetup setup, App app, Caller caller) {
        Build build = createBuild.create(caller, app.name(), new CreateBuild.Request(
                new Build.Source(setup.sourceUrl(), setup.sourceVersion(), null, null), null));
        setup.building(build.id());
    }

    /** app.json's values (secrets generated), then the overrides; a required variable left empty fails the setup. */
    static Map<String, String> configVars(AppJson manifest, Map<String, String> overrides) {
        Map<String, String> vars = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        manifest.env().forEach((key, env) -> {
            String value = overrides.containsKey(key) ? overrides.get(key)
                    : "secret".equals(env.generator()) ? secret() : env.value();
            if (value == null || value.isEmpty()) {
                if (env.required()) missing.add(key);
            } else {
                vars.put(key, value);
            }
        });
        if (!missing.isEmpty()) {
            throw new SetupFailedException("Missing required config vars: " + String.join(", ", missing) + ".");
        }
        overrides.forEach(vars::putIfAbsent);
        return vars;
    }

    /** 256 random bits as 64 hex characters, as Heroku's {@code "generator": "secret"}. */
    private static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A path is taken relative to the app's URL; an absolute http(s) URL as it is; anything else is dropped. */
    private String successUrl(App app, String given) {
        URI web = URI.create(config.webUrl(app.name()));
        if (given == null || given.isBlank()) return web.toString();
        try {
            URI resolved = web.resolve(given);
            String scheme = resolved.getScheme();
            return "http".equals(scheme) || "https".equals(scheme) ? resolved.toString() : web.toString();
        } catch (IllegalArgumentException e) {
            return web.toString();
        }
    }
}

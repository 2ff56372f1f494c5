package io.slipway.api.appsetups;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.apps.App;
import io.slipway.api.applifecycle.CreateApp;
import io.slipway.api.builds.Build;
import io.slipway.api.builds.CreateBuild;
import io.slipway.api.buildpacks.ReplaceBuildpacks;
import io.slipway.api.configvars.ConfigVarRules;
import io.slipway.api.identity.Caller;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /app-setups}: checks the request, creates the app (owned by the caller) and records the setup as
 * {@code pending}. Nothing slow happens here: the source is downloaded and app.json applied by
 * {@link AppSetupPoller} in the background, so a slow or hostile URL never holds a request thread.
 */
@Service
public class CreateAppSetup {
    private final CreateApp createApp;
    private final CreateBuild createBuild;
    private final AppSetupRepository setups;

    public CreateAppSetup(CreateApp createApp, CreateBuild createBuild, AppSetupRepository setups) {
        this.createApp = createApp;
        this.createBuild = createBuild;
        this.setups = setups;
    }

    /** {@code overrideBuildpacks} null: app.json's. */
    public record Request(Build.Source source, CreateApp.Request app, Map<String, String> overrideEnv,
                          List<String> overrideBuildpacks) {}

    public record Created(AppSetup setup, App app) {}

    @Transactional
    public Created create(Caller caller, Request request) {
        Build.Source source = createBuild.validSource(request.source());
        request.overrideEnv().forEach((key, value) -> {
            ConfigVarRules.requireValidKey(key);
            ConfigVarRules.requireValidValue(key, value);
        });
        if (request.overrideBuildpacks() != null) {
            if (request.overrideBuildpacks().size() > ReplaceBuildpacks.MAX_BUILDPACKS) {
                throw new InvalidInput("An app can use at most " + ReplaceBuildpacks.MAX_BUILDPACKS + " buildpacks.");
            }
            for (String b : request.overrideBuildpacks()) {
                if (b.isBlank() || b.contains("\n")) throw new InvalidInput("Invalid `overrides.buildpacks`.");
            }
        }
        App app = createApp.create(caller.accountId(), request.app());
        AppSetup setup = setups.save(new AppSetup(app.id(), caller.accountId(), source.url(), source.version(),
                request.overrideEnv(), request.overrideBuildpacks()));
        return new Created(setup, app);
    }
}

package io.slipway.api.appsetups;

import io.slipway.api.errors.DomainException;
import io.slipway.api.apps.App;
import io.slipway.api.builds.Build;
import io.slipway.api.builds.BuildRepository;
import io.slipway.api.formation.ScaleFormation;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.identity.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code build} phase: waits for the setup's build, then for its release to go live (its release phase
 * passed), then scales app.json's {@code formation} as the user would with {@code heroku ps:scale}, then starts
 * app.json's {@code scripts.postdeploy} ({@link StartPostdeploy}) or, without one, succeeds. A failed build or
 * release fails the setup with the reason.
 */
@Service
public class FinishAppSetup {
    private final BuildRepository builds;
    private final ReleaseRepository releases;
    private final ScaleFormation scaleFormation;
    private final StartPostdeploy startPostdeploy;
    private final ObjectMapper mapper;

    public FinishAppSetup(BuildRepository builds, ReleaseRepository releases, ScaleFormation scaleFormation,
                          StartPostdeploy startPostdeploy, ObjectMapper mapper) {
        this.startPostdeploy = startPostdeploy;
        this.builds = builds;
        this.releases = releases;
        this.scaleFormation = scaleFormation;
        this.mapper = mapper;
    }

    /** Moves the setup on if its build (and release) finished; otherwise leaves it for the next poll. */
    public void advance(AppSetup setup, App app, Caller caller) {
        Build build = builds.findById(setup.buildId()).orElse(null);
        if (build == null) throw new ApplyManifest.SetupFailedException("The build was removed.");
        if (Build.PENDING.equals(build.status())) return;
        if (Build.FAILED.equals(build.status())) {
            throw new ApplyManifest.SetupFailedException("The build failed" + (build.message() == null ? "." : ": " + build.message()));
        }
        if (build.releaseId() != null) {
            Release release = releases.findById(build.releaseId()).orElse(null);
            if (release != null && release.pending()) return;
            if (release != null && Release.FAILED.equals(release.status())) {
                throw new ApplyManifest.SetupFailedException("The release phase of v" + release.version() + " failed.");
            }
        }
        scale(setup, app, caller);
        if (setup.postdeployCommand() == null) setup.succeed();
        else startPostdeploy.start(setup, app, build.releaseId());
    }

    private void scale(AppSetup setup, App app, Caller caller) {
        if (setup.formation() == null) return;
        Map<String, AppJson.Scale> formation = mapper.readValue(setup.formation(), new TypeReference<>() {});
        List<ScaleFormation.Update> updates = new ArrayList<>();
        formation.forEach((type, s) -> updates.add(new ScaleFormation.Update(type,
                s.quantity() == null ? null : s.quantity().toString(), s.size())));
        if (updates.isEmpty()) return;
        try {
            scaleFormation.scale(caller, app.name(), updates);
        } catch (DomainException e) {
            throw new ApplyManifest.SetupFailedException("Could not scale the formation from app.json: " + e.getMessage());
        }
    }
}

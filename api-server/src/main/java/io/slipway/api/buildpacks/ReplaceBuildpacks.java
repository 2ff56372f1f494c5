package io.slipway.api.buildpacks;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.identity.Caller;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code PUT /apps/{app}/buildpack-installations} ({@code heroku buildpacks:set/add/remove/clear},
 * {@code apps:create --buildpack}): the given list replaces the app's buildpacks; an empty list returns the
 * app to detection. Takes effect with the next build; nothing running changes, so there is no event.
 */
@Service
public class ReplaceBuildpacks {
    public static final int MAX_BUILDPACKS = 12;
    private final AppAccess access;
    private final BuildpackInstallationRepository installations;

    public ReplaceBuildpacks(AppAccess access, BuildpackInstallationRepository installations) {
        this.access = access;
        this.installations = installations;
    }

    public record Replaced(App app, List<BuildpackInstallation> installations) {}

    @Transactional
    public Replaced replace(Caller caller, String appIdentity, List<String> buildpacks) {
        App app = access.visible(caller, appIdentity);
        if (buildpacks.size() > MAX_BUILDPACKS) {
            throw new InvalidInput("An app can have at most " + MAX_BUILDPACKS + " buildpacks.");
        }
        List<Buildpacks.Resolved> resolved = buildpacks.stream().map(Buildpacks::resolve).toList();
        Set<String> seen = new HashSet<>();
        for (Buildpacks.Resolved r : resolved) {
            if (!seen.add(r.url())) throw new InvalidInput("The buildpack " + r.name() + " is listed twice.");
        }
        installations.deleteAllOfApp(app.id());
        List<BuildpackInstallation> saved = new ArrayList<>();
        for (int i = 0; i < resolved.size(); i++) {
            saved.add(new BuildpackInstallation(app.id(), i, resolved.get(i).url(), resolved.get(i).name()));
        }
        installations.saveAll(saved);
        installations.flush();
        return new Replaced(app, saved);
    }
}

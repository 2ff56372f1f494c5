package io.slipway.api.addons;

import io.slipway.api.apps.App;
import io.slipway.api.configvars.ConfigVarRules;
import io.slipway.api.releases.CreateRelease;
import io.slipway.api.releases.Artifact;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseHeads;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What an attachment does to its app: attachment {@code DATABASE} of an add-on whose config is
 * {@code {URL: ...}} is the config var {@code DATABASE_URL}. Every change is one release of the app, described
 * as Heroku does ({@code Attach DATABASE (@ref:postgresql-curved-12345)}), running the current slug. Callers hold
 * the app's lock ({@link io.slipway.api.apps.AppLock}) from the start of their transaction.
 */
@Component
public class AttachmentConfig {
    private final CreateRelease createRelease;
    private final ReleaseHeads releases;

    public AttachmentConfig(CreateRelease createRelease, ReleaseHeads releases) {
        this.createRelease = createRelease;
        this.releases = releases;
    }

    /** The config var names attachment {@code name} of {@code addon} sets. */
    public static java.util.List<String> varNames(String name, Addon addon) {
        return addon.config().keySet().stream().map(suffix -> name + "_" + suffix).toList();
    }

    /** Sets the vars of {@code names} (attachments of {@code addon} on {@code app}), in one release. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Release attach(App app, Addon addon, Collection<String> names, UUID userId) {
        Map<String, String> config = app.configVars();
        for (String name : names) addon.config().forEach((suffix, value) -> config.put(name + "_" + suffix, value));
        ConfigVarRules.requireWithinTotal(config);
        app.replaceConfigVars(config);
        return createRelease.create(app, "Attach " + String.join(", ", names) + " (@ref:" + addon.name() + ")",
                currentArtifact(app), userId);
    }

    /** Removes the vars of {@code names}, in one release. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Release detach(App app, Addon addon, Collection<String> names, UUID userId) {
        Map<String, String> config = app.configVars();
        for (String name : names) addon.config().keySet().forEach(suffix -> config.remove(name + "_" + suffix));
        app.replaceConfigVars(config);
        return createRelease.create(app, "Detach " + String.join(", ", names) + " (@ref:" + addon.name() + ")",
                currentArtifact(app), userId);
    }

    /** The add-on's config changed (a plan change gave new credentials): the new values, in one release. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Release update(App app, Addon addon, Map<String, String> oldConfig, Collection<String> names, UUID userId) {
        Map<String, String> config = app.configVars();
        for (String name : names) {
            oldConfig.keySet().forEach(suffix -> config.remove(name + "_" + suffix));
            addon.config().forEach((suffix, value) -> config.put(name + "_" + suffix, value));
        }
        ConfigVarRules.requireWithinTotal(config);
        app.replaceConfigVars(config);
        return createRelease.create(app, "Update " + String.join(", ", names) + " (@ref:" + addon.name() + ")",
                currentArtifact(app), userId);
    }

    private Artifact currentArtifact(App app) {
        return releases.currentArtifact(app.id()).orElse(Artifact.NONE);
    }
}

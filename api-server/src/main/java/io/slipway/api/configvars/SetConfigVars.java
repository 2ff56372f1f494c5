package io.slipway.api.configvars;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.releases.CreateRelease;
import io.slipway.api.releases.Artifact;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseHeads;
import io.slipway.api.identity.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku config:set} / {@code config:unset} ({@code PATCH /apps/{app}/config-vars}): a null value
 * removes a key. Every effective change becomes a release in the same transaction, described as Heroku
 * does ({@code Set FOO, BAR config vars}, {@code Remove FOO config vars}); a change that changes nothing
 * (same values, removing absent keys) creates no release.
 */
@Service
public class SetConfigVars {
    private final AppAccess access;
    private final CreateRelease createRelease;
    private final ReleaseHeads releases;

    public SetConfigVars(AppAccess access, CreateRelease createRelease, ReleaseHeads releases) {
        this.access = access;
        this.createRelease = createRelease;
        this.releases = releases;
    }

    /** The app's config after the change, and the release it made (null when nothing changed). */
    public record Result(Map<String, String> config, Release release) {}

    /** {@code changes} keeps the request's order (it is the order of the release description); null values remove. */
    @Transactional
    public Result update(Caller caller, String appIdentity, Map<String, String> changes) {
        App app = access.visibleLocked(caller, appIdentity); // first: another tenant's app is not_found, not invalid
        changes.forEach((key, value) -> {
            ConfigVarRules.requireValidKey(key);
            if (value != null) ConfigVarRules.requireValidValue(key, value);
        });
        Map<String, String> config = app.configVars();
        List<String> set = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (var change : changes.entrySet()) {
            String key = change.getKey();
            String value = change.getValue();
            if (value == null) {
                if (config.remove(key) != null) removed.add(key);
            } else if (!Objects.equals(config.put(key, value), value)) {
                set.add(key);
            }
        }
        if (set.isEmpty() && removed.isEmpty()) return new Result(new TreeMap<>(config), null);
        ConfigVarRules.requireWithinTotal(config);
        app.replaceConfigVars(config);
        Release release = createRelease.create(app, describe(set, removed), currentArtifact(app), caller);
        return new Result(new TreeMap<>(config), release);
    }

    /**
     * Heroku's wording; a PATCH that both sets and removes (which the CLI never sends) is described with both
     * parts: {@code Set A config vars, remove B config vars} reads oddly, so: {@code Set A and remove B config vars}.
     */
    static String describe(List<String> set, List<String> removed) {
        if (removed.isEmpty()) return "Set " + String.join(", ", set) + " config vars";
        if (set.isEmpty()) return "Remove " + String.join(", ", removed) + " config vars";
        return "Set " + String.join(", ", set) + " and remove " + String.join(", ", removed) + " config vars";
    }

    /** The new config runs with the code that runs now: the current release's slug or image (none before a deploy). */
    private Artifact currentArtifact(App app) {
        return releases.currentArtifact(app.id()).orElse(Artifact.NONE);
    }
}

package io.slipway.api.releases.phase;

import io.slipway.api.apps.App;
import io.slipway.api.formation.DefineProcessTypes;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.shared.dynos.DynoSize;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The release-phase command of the app's newest release, whatever its status: what the formation list shows as
 * the process type {@code release} (quantity 0; Heroku lists it there too) and what {@code heroku releases:retry}
 * looks for before it re-releases that newest release. The newest, not the current one: the release to retry is
 * usually the one whose release phase just failed.
 */
@Component
public class NewestReleasePhase {
    private final ReleaseRepository releases;
    private final ReleasePhaseCommand phaseCommand;

    public NewestReleasePhase(ReleaseRepository releases, ReleasePhaseCommand phaseCommand) {
        this.releases = releases;
        this.phaseCommand = phaseCommand;
    }

    /** The command, the size its dyno runs on, and when the release that carries it was made. */
    public record Entry(String command, DynoSize size, Instant createdAt, Instant updatedAt) {}

    @Transactional(readOnly = true)
    public Optional<Entry> of(App app) {
        Optional<Release> newest = releases.findFirstByAppIdOrderByVersionDesc(app.id());
        if (newest.isEmpty()) return Optional.empty();
        Release r = newest.get();
        return phaseCommand.of(app.id(), r.artifact())
                .map(command -> new Entry(command, DefineProcessTypes.RELEASE_PHASE_SIZE, r.createdAt(), r.updatedAt()));
    }
}

package io.slipway.api.releases.phase;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** Runs {@link SweepReleasePhases} every {@code slipway.release-phase.sweep-interval}. */
@Component
public class ReleasePhaseSweeper implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(ReleasePhaseSweeper.class);
    private final SweepReleasePhases sweep;
    private final ReleasePhaseConfig config;

    public ReleasePhaseSweeper(SweepReleasePhases sweep, ReleasePhaseConfig config) {
        this.sweep = sweep;
        this.config = config;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::run, config.sweepInterval());
    }

    private void run() {
        try {
            int n = sweep.sweep();
            if (n > 0) log.info("Failed {} release(s) whose release phase timed out", n);
        } catch (RuntimeException e) {
            // the next run retries; a failing sweep must not stop the schedule
            log.warn("Release phase sweep failed: {}", e.toString());
        }
    }
}

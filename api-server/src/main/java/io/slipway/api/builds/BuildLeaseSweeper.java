package io.slipway.api.builds;

import io.slipway.api.ApiServerConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** Runs {@link SweepBuildLeases} every {@code slipway.builds.sweep-interval} (5 s by default). */
@Component
public class BuildLeaseSweeper implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(BuildLeaseSweeper.class);
    private final SweepBuildLeases sweep;
    private final Duration interval;

    public BuildLeaseSweeper(SweepBuildLeases sweep, ApiServerConfig config) {
        this.sweep = sweep;
        this.interval = config.builds().sweepInterval();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::run, interval);
    }

    private void run() {
        try {
            int n = sweep.sweep();
            if (n > 0) log.info("Took back {} build(s) from lost build-workers", n);
        } catch (RuntimeException e) {
            // the next run retries; a failing sweep must not stop the schedule
            log.warn("Build lease sweep failed: {}", e.toString());
        }
    }
}

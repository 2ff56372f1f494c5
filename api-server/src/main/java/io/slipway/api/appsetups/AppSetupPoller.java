package io.slipway.api.appsetups;

import java.time.Duration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Runs {@link RunAppSetups} every second: setups move on in the background, never inside a request, and the
 * state is in {@code app_setups}, so a restarted api-server carries on where the table says.
 */
@Component
public class AppSetupPoller implements SchedulingConfigurer {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private final RunAppSetups run;

    public AppSetupPoller(RunAppSetups run) {
        this.run = run;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(run::runOnce, INTERVAL);
    }
}

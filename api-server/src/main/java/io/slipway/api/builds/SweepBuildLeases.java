package io.slipway.api.builds;

import io.slipway.api.ApiServerConfig;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Takes builds back from workers that stopped heartbeating (crashed, partitioned): a build whose lease
 * expired goes back to the queue once, with {@code -----> Build worker lost, retrying} in its output; after
 * {@code slipway.builds.max-attempts} claims it fails with {@code Build worker lost twice; build failed.}.
 * A build that ran longer than the build timeout plus one lease fails too (a worker heartbeating a stuck
 * build forever). Several api-server replicas may sweep at once: {@code SKIP LOCKED} gives each row to one.
 */
@Service
public class SweepBuildLeases {
    public static final String RETRY_LINE = "-----> Build worker lost, retrying\n";
    public static final String LOST_MESSAGE = "Build worker lost twice; build failed.";
    private final BuildRepository builds;
    private final BuildOutput output;
    private final FailBuild failBuild;
    private final ApiServerConfig.Builds settings;

    public SweepBuildLeases(BuildRepository builds, BuildOutput output, FailBuild failBuild, ApiServerConfig config) {
        this.builds = builds;
        this.output = output;
        this.failBuild = failBuild;
        this.settings = config.builds();
    }

    /** Returns how many builds it took back or failed. */
    @Transactional
    public int sweep() {
        Instant now = Instant.now();
        Instant startedBefore = now.minusSeconds((long) settings.timeoutSeconds() + settings.leaseSeconds());
        List<Build> lapsed = builds.lapsed(now, startedBefore);
        for (Build build : lapsed) {
            boolean timedOut = build.startedAt() != null && build.startedAt().isBefore(startedBefore);
            if (timedOut) {
                failBuild.fail(build, "Build timed out after " + duration(settings.timeoutSeconds()) + ".");
            } else if (build.attempts() < settings.maxAttempts()) {
                build.requeue(now);
                output.append(build.id(), RETRY_LINE);
            } else {
                failBuild.fail(build, LOST_MESSAGE);
            }
        }
        return lapsed.size();
    }

    private static String duration(int seconds) {
        return seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds + " seconds";
    }
}

package io.slipway.launcher;

import io.slipway.buildworker.BuildWorker;
import io.slipway.buildworker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one build-worker inside the launcher's JVM, claiming builds from the local api-server's internal listener
 * with its own build-worker token. Builds only ever run isolated in runc: where that is impossible (not root, no runc) the
 * platform still starts, says loudly that builds stay queued, and the API keeps working.
 */
final class BuildWorkerRunner {
    private static final Logger log = LoggerFactory.getLogger(BuildWorkerRunner.class);

    private BuildWorkerRunner() {}

    static Optional<AutoCloseable> start(Path buildRoot, Path caCert, String internalUrl, String token) {
        // the operator's SLIPWAY_BUILD_* settings apply; what the launcher owns is set here
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SLIPWAY_INTERNAL_API_URL", internalUrl);
        env.put("SLIPWAY_INTERNAL_TOKEN", token);
        env.put("SLIPWAY_WORKER_ID", "slipway-up-" + ProcessHandle.current().pid());
        env.put("SLIPWAY_BUILD_ROOT", buildRoot.toString());
        env.put("SLIPWAY_CA_FILE", caCert.toString());
        env.putIfAbsent("SLIPWAY_CLAIM_INTERVAL_SECONDS", "1");
        BuildWorker worker = new BuildWorker(WorkerConfig.fromEnv(env));
        try {
            worker.start();
        } catch (IllegalStateException e) {
            log.warn("BUILDS ARE DISABLED on this machine: {} Pushed code stays queued until a build-worker that "
                    + "can use runc (as root) claims it.", e.getMessage());
            return Optional.empty();
        }
        return Optional.of(() -> worker.stop(Duration.ofSeconds(5)));
    }
}

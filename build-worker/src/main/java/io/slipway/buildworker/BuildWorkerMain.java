package io.slipway.buildworker;

import java.time.Duration;

/**
 * {@code java -cp ... io.slipway.buildworker.BuildWorkerMain}: a build-worker in its own process, configured
 * from the environment (see {@link WorkerConfig}). On SIGTERM it stops claiming and gives running builds up to
 * {@code SLIPWAY_STOP_GRACE_SECONDS} (default 30) before killing them.
 */
public final class BuildWorkerMain {
    private BuildWorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        WorkerConfig config;
        BuildWorker worker;
        try {
            config = WorkerConfig.fromEnv(System.getenv());
            worker = new BuildWorker(config).start();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("build-worker: " + e.getMessage());
            System.exit(1);
            return;
        }
        long grace = parseGrace(System.getenv("SLIPWAY_STOP_GRACE_SECONDS"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> worker.stop(Duration.ofSeconds(grace)), "shutdown"));
        Thread.currentThread().join(); // the claim loop runs until the process is told to stop
    }

    private static long parseGrace(String value) {
        try {
            return value == null || value.isBlank() ? 30 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 30;
        }
    }
}

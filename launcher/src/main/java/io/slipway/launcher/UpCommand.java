package io.slipway.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code slipway up [--data-dir DIR] [--port 5443] [--router-port 8080] [--admin-email EMAIL] [--insecure-dynos]}:
 * starts the platform in the
 * foreground and blocks. Ctrl-C / SIGTERM run the shutdown hook, which stops the api-server, the object store
 * and PostgreSQL in that order and removes the state file, so the next {@code up} resumes cleanly.
 */
public final class UpCommand {
    private UpCommand() {}

    static int run(List<String> argv) throws InterruptedException {
        Args args = Args.parse(argv, Set.of("data-dir", "port", "admin-email", "router-port"),
                Set.of("insecure-dynos"));
        if (!args.positionals().isEmpty()) throw new UsageException("up takes no arguments: " + args.positionals());
        LauncherConfig config = new LauncherConfig(
                Path.of(args.option("data-dir", LauncherConfig.defaultDataDir().toString())),
                args.intOption("port", LauncherConfig.DEFAULT_API_PORT),
                args.option("admin-email", LauncherConfig.DEFAULT_ADMIN_EMAIL),
                args.intOption("router-port", LauncherConfig.DEFAULT_ROUTER_PORT),
                args.flag("insecure-dynos"));

        // Netty's sampled buffer-leak tracking (a stack trace every ~128 buffers) costs the router real CPU;
        // tests keep it on, a running platform does not need it (as RouterMain)
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        System.out.println("Starting Slipway in " + config.dataDir() + " ...");
        Platform platform = Platform.create(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (platform.isClosed()) {
                stopped.countDown();
                return; // a failed start has already stopped what it had started
            }
            System.out.println("\nStopping Slipway ...");
            try {
                platform.close();
                System.out.println("Slipway stopped. Data kept in " + config.dataDir());
            } catch (RuntimeException e) {
                System.err.println("Slipway did not stop cleanly: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "slipway-shutdown"));
        try {
            platform.start();
        } catch (RuntimeException e) {
            stopped.countDown();
            throw e;
        }
        System.out.println(Quickstart.text(platform));
        // every component of `up` runs in this JVM: its JIT compilers ahead of the request threads from now on
        io.slipway.shared.jvm.JitPriority.raiseAfterStart();
        stopped.await();
        return 0;
    }
}

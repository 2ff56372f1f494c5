package io.slipway.buildworker;

import io.slipway.shared.images.ImagesClient;
import io.slipway.buildworker.buildpacks.BuildpackResolver;
import io.slipway.buildworker.buildpacks.BuiltinBuildpacks;
import io.slipway.buildworker.claim.ClaimLoop;
import io.slipway.buildworker.container.RuncRunner;
import io.slipway.shared.sandbox.SandboxNetwork;
import io.slipway.shared.sandbox.SizedDisk;
import io.slipway.buildworker.container.Stacks;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.buildworker.images.BaseImageLoader;
import io.slipway.buildworker.images.Buildah;
import io.slipway.buildworker.images.ImageBuilder;
import io.slipway.buildworker.run.BuildRun;
import io.slipway.shared.builds.ClaimedBuild;
import io.slipway.shared.builds.InternalBuildsClient;
import io.slipway.shared.http.TrustedHttpClients;
import io.slipway.shared.net.GuardedHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A build-worker: claims queued builds from the api-server and runs each in runc containers, up to
 * {@code concurrency} at a time. Start it with {@link #start()} (in its own process through
 * {@link BuildWorkerMain}, or inside the launcher) and stop it with {@link #stop(Duration)} or {@link #close()}.
 *
 * <p>It refuses to start when builds could not be isolated (not root, or no runc): builds never run unisolated.
 */
public final class BuildWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BuildWorker.class.getName());

    private final WorkerConfig config;
    private final Set<BuildRun> running = ConcurrentHashMap.newKeySet();
    private ExecutorService builds;
    private Thread claimThread;
    private SandboxNetwork network;
    private ClaimLoop claimLoop;
    private Buildah buildah;

    public BuildWorker(WorkerConfig config) {
        this.config = config;
    }

    public WorkerConfig config() {
        return config;
    }

    /**
     * Checks the host, writes the built-in buildpacks, cleans up what a previous worker left in the build root,
     * and starts claiming. Throws {@link IllegalStateException} with the reason when builds cannot be isolated.
     */
    public synchronized BuildWorker start() {
        if (claimThread != null) throw new IllegalStateException("build-worker already started");
        RuncRunner.checkUsable(config.runc());
        String tool = SandboxNetwork.missingTools();
        if (tool != null) {
            throw new IllegalStateException("'" + tool + "' is missing: every build runs in its own network "
                    + "namespace, which needs iproute2 and nftables (apt-get install iproute2 nftables)");
        }
        try {
            Files.createDirectories(config.buildRoot());
            // stable per build root, so a restarted worker finds what its previous run left
            network = SandboxNetwork.open("build:" + config.buildRoot().toAbsolutePath(), config.subnet(),
                    config.denied(), config.buildRoot());
            RuncRunner runner = new RuncRunner(config.runc(), config.buildRoot().resolve("runc"), network);
            runner.cleanupLeftovers();
            SizedDisk.unmountAllUnder(config.buildRoot().resolve("builds"));
            TreeDelete.deleteOrThrow(config.buildRoot().resolve("builds"));
            BuiltinBuildpacks builtins = BuiltinBuildpacks.extract(config.buildRoot().resolve("buildpacks"));
            HttpClient http = TrustedHttpClients.create(config.caFile());
            InternalBuildsClient client = new InternalBuildsClient(config.apiUrl(), config.internalToken(), http);
            // user-given URLs (source_blob.url, buildpacks) only ever go through this client
            GuardedHttpClient outbound = new GuardedHttpClient(config.outbound(), Duration.ofSeconds(10), Duration.ofSeconds(60));
            BuildRun.Tools tools = new BuildRun.Tools(config, client, runner, builtins,
                    new BuildpackResolver(builtins, outbound, config.maxDownloadBytes(), config.downloadTimeout()),
                    new Stacks(config.stacksDir(), config.defaultStackRoot()), outbound, imageBuilder(http));
            AtomicInteger threads = new AtomicInteger();
            builds = Executors.newFixedThreadPool(config.concurrency(), r -> {
                Thread t = new Thread(r, "build-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            claimLoop = new ClaimLoop(client, config.workerId(), config.claimInterval(), config.concurrency(),
                    claimed -> submit(claimed, tools));
            claimThread = new Thread(claimLoop, "build-claims");
            claimThread.setDaemon(true);
            claimThread.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the build root " + config.buildRoot(), e);
        }
        LOG.log(Level.INFO, "build-worker {0} started: {1} build(s) at a time, api {2}", config.workerId(),
                config.concurrency(), config.apiUrl());
        return this;
    }

    /**
     * Dockerfile builds, when Buildah is installed (only they need it: without it, such a build fails with a
     * clear message and buildpack builds work as before). Its storage, under the build root's {@code images/},
     * survives restarts: it is the layer cache.
     */
    private ImageBuilder imageBuilder(HttpClient http) {
        if (!Buildah.available(config.buildah())) {
            LOG.log(Level.WARNING, "buildah is not installed: Dockerfile builds will fail (apt-get install buildah)");
            return null;
        }
        Path dir = config.buildRoot().resolve("images");
        buildah = new Buildah(config.buildah(), dir, config.buildRoot().resolve("images-state"));
        try {
            if (config.imageStorageBytes() > 0) {
                // image builds write into Buildah's storage, not the build's sized directories: this caps them
                // (and the layer cache) so a RUN step cannot fill the host's disk
                SizedDisk.unmountAllUnder(dir); // layers a killed worker left mounted
                SizedDisk.mountKeeping(config.buildRoot().resolve("images.img"), dir, config.imageStorageBytes(), 0, 0);
            }
            buildah.prepare();
        } catch (IOException e) {
            // buildpack builds must not depend on the image builder: they go on, Dockerfile builds fail clearly
            LOG.log(Level.WARNING, "cannot prepare Buildah''s storage in {0}: {1}; Dockerfile builds will fail",
                    dir, e.getMessage());
            buildah = null;
            return null;
        }
        ImagesClient images = new ImagesClient(config.apiUrl(), config.internalToken(), http);
        return new ImageBuilder(config, buildah, new BaseImageLoader(images, buildah, dir.resolve("base")), images,
                network, new io.slipway.buildworker.cache.BuildCache(http),
                config.buildRoot().resolve("images-state").resolve("app-caches"));
    }

    private static void unmount(Path dir) {
        try {
            Process p = new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not unmount {0}: {1}", dir, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(ClaimedBuild claimed, BuildRun.Tools tools) {
        BuildRun run = new BuildRun(claimed, tools);
        running.add(run);
        builds.execute(() -> {
            try {
                run.run();
            } finally {
                running.remove(run);
                claimLoop.buildEnded();
            }
        });
    }

    /**
     * Stops claiming, lets running builds finish for up to {@code grace}, then kills the rest. A killed build gets
     * no result from this worker: its lease runs out and the api-server retries it once.
     */
    public void stop(Duration grace) {
        Thread claims;
        synchronized (this) {
            if (claimThread == null) return;
            claims = claimThread;
            claimThread = null;
        }
        claimLoop.stop();
        claims.interrupt();
        builds.shutdown();
        try {
            if (!builds.awaitTermination(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS)) {
                running.forEach(run -> run.cancel("the build-worker is stopping"));
                builds.awaitTermination(60, TimeUnit.SECONDS);
            }
            claims.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (network != null) network.close(); // the builds' rules, namespaces and claimed subnet
            network = null;
            if (buildah != null) {
                buildah.shutdown();
                // the sized storage is unmounted, not deleted: its layers are the next start's cache
                Path images = config.buildRoot().resolve("images");
                if (config.imageStorageBytes() > 0) {
                    SizedDisk.unmountAllUnder(images);
                    if (SizedDisk.isMountPoint(images)) unmount(images);
                }
            }
        }
        LOG.log(Level.INFO, "build-worker {0} stopped", config.workerId());
    }

    /** Stops at once: running builds are killed (and retried elsewhere when their lease runs out). */
    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    public synchronized boolean isRunning() {
        return claimThread != null;
    }

    /** Builds running right now. */
    public int activeBuilds() {
        return running.size();
    }

    /** Where this worker keeps its built-in buildpacks, runc state and build directories. */
    public Path buildRoot() {
        return config.buildRoot();
    }
}

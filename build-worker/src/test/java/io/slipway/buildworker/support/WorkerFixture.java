package io.slipway.buildworker.support;

import io.slipway.buildworker.BuildWorker;
import io.slipway.buildworker.WorkerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real {@link BuildWorker} (real runc) claiming from a {@link FakeApiServer}, for end-to-end tests. */
public final class WorkerFixture implements AutoCloseable {
    public final FakeApiServer api;
    public final BuildWorker worker;
    public final Path dir;
    private final Map<String, String> env = new HashMap<>();

    public WorkerFixture(Path dir, Map<String, String> extraEnv) throws IOException {
        this.dir = dir;
        String localRepository = System.getProperty("slipway.test.localRepository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        this.api = new FakeApiServer(Files.createDirectories(dir.resolve("api")), Path.of(localRepository));
        env.put("SLIPWAY_INTERNAL_API_URL", api.url());
        env.put("SLIPWAY_INTERNAL_TOKEN", FakeApiServer.TOKEN);
        env.put("SLIPWAY_WORKER_ID", "test-worker");
        env.put("SLIPWAY_BUILD_ROOT", dir.resolve("worker").toString());
        env.put("SLIPWAY_CLAIM_INTERVAL_SECONDS", "0.1");
        env.put("SLIPWAY_BUILD_MEMORY_MB", "1536");
        env.putAll(extraEnv);
        this.worker = new BuildWorker(WorkerConfig.fromEnv(env)).start();
    }

    /** Another worker claiming from the same api-server, with its own build root (so its own image storage). */
    public BuildWorker anotherWorker(Path buildRoot, String workerId) {
        Map<String, String> other = new HashMap<>(env);
        other.put("SLIPWAY_BUILD_ROOT", buildRoot.toString());
        other.put("SLIPWAY_WORKER_ID", workerId);
        return new BuildWorker(WorkerConfig.fromEnv(other)).start();
    }

    @Override
    public void close() {
        worker.close();
        api.close();
    }
}

package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {
    private static final Map<String, String> REQUIRED = Map.of(
            "SLIPWAY_INTERNAL_API_URL", "https://api.example.com:5443", "SLIPWAY_INTERNAL_TOKEN", "s3cret");

    @Test
    void defaults() {
        WorkerConfig config = WorkerConfig.fromEnv(REQUIRED);
        assertEquals(URI.create("https://api.example.com:5443"), config.apiUrl());
        assertEquals(Path.of("/"), config.defaultStackRoot());
        assertNull(config.stacksDir());
        assertEquals(Duration.ofMinutes(15), config.buildTimeout());
        assertEquals(2048L << 20, config.memoryLimitBytes());
        assertEquals(500L * 1024 * 1024, config.maxSlugBytes());
        assertEquals(1, config.concurrency());
        assertEquals(Duration.ofSeconds(2), config.claimInterval());
        assertEquals("runc", config.runc());
        assertEquals("buildah", config.buildah());
        assertEquals(20480L << 20, config.imageStorageBytes());
        assertTrue(config.workerId().endsWith("-" + ProcessHandle.current().pid()));
        assertFalse(config.toString().contains("s3cret"), "the token never reaches a log");
    }

    @Test
    void readsEveryVariable() {
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.putAll(Map.of("SLIPWAY_WORKER_ID", "w1", "SLIPWAY_BUILD_ROOT", "/var/lib/slipway/builds",
                "SLIPWAY_STACKS_DIR", "/srv/stacks", "SLIPWAY_BUILD_TIMEOUT_SECONDS", "600",
                "SLIPWAY_BUILD_MEMORY_MB", "1024", "SLIPWAY_BUILD_PIDS_LIMIT", "512", "SLIPWAY_MAX_SLUG_BYTES", "1000",
                "SLIPWAY_BUILD_CONCURRENCY", "3", "SLIPWAY_CLAIM_INTERVAL_SECONDS", "0.5",
                "SLIPWAY_CA_FILE", "/etc/slipway/ca.pem"));
        WorkerConfig config = WorkerConfig.fromEnv(env);
        assertEquals("w1", config.workerId());
        assertEquals(Path.of("/srv/stacks"), config.stacksDir());
        assertEquals(Duration.ofMinutes(10), config.buildTimeout());
        assertEquals(1024L << 20, config.memoryLimitBytes());
        assertEquals(512, config.pidsLimit());
        assertEquals(3, config.concurrency());
        assertEquals(Duration.ofMillis(500), config.claimInterval());
        assertEquals(Path.of("/etc/slipway/ca.pem"), config.caFile());
        // the api-server's per-build limits apply when they are tighter than the worker's
        assertEquals(Duration.ofSeconds(30), config.timeoutFor(30));
        assertEquals(Duration.ofMinutes(10), config.timeoutFor(3600));
        assertEquals(Duration.ofMinutes(10), config.timeoutFor(0));
        assertEquals(500, config.maxSlugBytesFor(500));
        assertEquals(1000, config.maxSlugBytesFor(524288000));
    }

    @Test
    void namesTheVariableThatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnv(Map.of()))
                .getMessage().contains("SLIPWAY_INTERNAL_API_URL"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> WorkerConfig.fromEnv(Map.of("SLIPWAY_INTERNAL_API_URL", "http://x"))).getMessage()
                .contains("SLIPWAY_INTERNAL_TOKEN"));
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.put("SLIPWAY_BUILD_TIMEOUT_SECONDS", "soon");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnv(env))
                .getMessage().contains("SLIPWAY_BUILD_TIMEOUT_SECONDS"));
        Map<String, String> images = new HashMap<>(REQUIRED);
        images.put("SLIPWAY_IMAGE_STORAGE_MB", "100");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnv(images))
                .getMessage().contains("SLIPWAY_IMAGE_STORAGE_MB"));
        images.put("SLIPWAY_IMAGE_STORAGE_MB", "0"); // no cap
        assertEquals(0, WorkerConfig.fromEnv(images).imageStorageBytes());
    }

    @Test
    void theRegistryMirror() {
        assertNull(WorkerConfig.fromEnv(REQUIRED).registryMirror(), "none unless configured");
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.putAll(Map.of("SLIPWAY_REGISTRY_MIRROR", "mirror.internal:5000",
                "SLIPWAY_REGISTRY_MIRROR_AUTH_FILE", "/etc/slipway/mirror-auth.json"));
        var mirror = WorkerConfig.fromEnv(env).registryMirror();
        assertEquals("mirror.internal:5000", mirror.host());
        assertFalse(mirror.insecure());
        assertEquals(Path.of("/etc/slipway/mirror-auth.json"), mirror.authFile());
        env.put("SLIPWAY_REGISTRY_MIRROR_INSECURE", "true"); // plain HTTP only where no one is on the path
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnv(env))
                .getMessage().contains("SLIPWAY_REGISTRY_MIRROR_INSECURE is only allowed for a mirror on loopback"));
        env.put("SLIPWAY_REGISTRY_MIRROR", "127.0.0.1:5000");
        assertTrue(WorkerConfig.fromEnv(env).registryMirror().insecure());
        for (String bad : java.util.List.of("https://mirror:5000", "mirror:5000/path", "mirror:port", "a b")) {
            env.put("SLIPWAY_REGISTRY_MIRROR", bad);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnv(env))
                    .getMessage().startsWith("SLIPWAY_REGISTRY_MIRROR must be host[:port]"), bad);
        }
        env.put("SLIPWAY_REGISTRY_MIRROR", "localhost:5000");
        env.put("SLIPWAY_REGISTRY_MIRROR_INSECURE", "yes");
        assertThrows(IllegalArgumentException.class, () -> WorkerConfig.fromEnv(env));
    }
}

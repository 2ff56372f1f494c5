package io.slipway.buildworker.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Docker registry (Debian's {@code docker-registry}, distribution 2.8) on a free loopback port, plain HTTP,
 * storing into a temporary directory: the registry mirror of the tests. Images are pushed into it with the real
 * Buildah, from a storage of the test's own ({@code vfs}: nothing stays mounted).
 */
public final class RegistryServer implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private final Path dir;
    private final int port;
    private final Process process;

    private RegistryServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Skips the test without the registry ({@code apt-get install docker-registry}, the {@code test} profile). */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "docker-registry is not installed (apt-get install docker-registry)");
    }

    /** Starts it and waits until it answers {@code GET /v2/}. */
    public static RegistryServer start(Path dir) throws IOException, InterruptedException {
        assumeAvailable();
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                  secret: test-only-secret
                """.formatted(Files.createDirectories(dir.resolve("data")), port));
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        RegistryServer server = new RegistryServer(dir, port, process);
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://" + server.host() + "/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return server;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > end) {
                server.close();
                throw new IOException("docker-registry did not start: " + server.log());
            }
            Thread.sleep(50);
        }
    }

    /** {@code 127.0.0.1:<port>}: what {@code SLIPWAY_REGISTRY_MIRROR} is set to. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /**
     * Pushes a one-layer image ({@code layer}, a root file system tar.gz) as {@code repository:tag} with the user
     * and command given; answers its manifest digest.
     */
    public String push(Path layer, String repositoryAndTag, String user, String cmd) throws IOException {
        String container = buildah("from", "scratch").strip();
        buildah("add", container, layer.toString(), "/");
        List<String> config = new ArrayList<>(List.of("config", "--env", "PATH=/bin", "--cmd", cmd));
        if (user != null) config.addAll(List.of("--user", user));
        config.add(container);
        buildah(config.toArray(String[]::new));
        String local = "localhost/pushed-" + Math.abs(repositoryAndTag.hashCode());
        buildah("commit", "--quiet", container, local);
        buildah("rm", container);
        Path digest = dir.resolve("digest");
        buildah("push", "--quiet", "--tls-verify=false", "--digestfile", digest.toString(), local,
                "docker://" + host() + "/" + repositoryAndTag);
        return Files.readString(digest).strip();
    }

    /** What the registry logged: every request it served. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("registry.log"));
    }

    private String buildah(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("buildah", "--root", dir.resolve("storage").toString(),
                "--runroot", dir.resolve("run").toString(), "--storage-driver", "vfs"));
        command.addAll(List.of(args));
        return TestApps.run(dir, command.toArray(String[]::new));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

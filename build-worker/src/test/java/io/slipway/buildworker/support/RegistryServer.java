package io.slipway.buildworker.support;

import io.slipway.shared.net.LocalPorts;
import java.io.IOException;
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

    private final boolean tls;

    private RegistryServer(Path dir, int port, Process process, boolean tls) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.tls = tls;
    }

    private String url() {
        return (tls ? "https://" : "http://") + host();
    }

    /** Skips the test without the registry ({@code apt-get install docker-registry}, the {@code test} profile). */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "docker-registry is not installed (apt-get install docker-registry)");
    }

    /** Starts it and waits until it answers {@code GET /v2/}. */
    public static RegistryServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, false);
    }

    /**
     * The same over HTTPS, with a certificate for {@code 127.0.0.1} from a CA made here with the real
     * {@code openssl} ({@link #caFile()}).
     */
    public static RegistryServer startTls(Path dir) throws IOException, InterruptedException {
        return start(dir, true);
    }

    /** The CA that signed the HTTPS registry's certificate (PEM). */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    private static void makeCertificates(Path dir) throws IOException {
        TestApps.run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=registry test CA");
        TestApps.run(dir, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "req.pem", "-subj", "/CN=127.0.0.1");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
        TestApps.run(dir, "openssl", "x509", "-req", "-in", "req.pem", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-out", "cert.pem", "-days", "2", "-extfile", "ext.cnf");
    }

    private static RegistryServer start(Path dir, boolean tls) throws IOException, InterruptedException {
        assumeAvailable();
        if (tls) makeCertificates(dir);
        int port = LocalPorts.freePort();
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
                """.formatted(Files.createDirectories(dir.resolve("data")), port)
                + (tls ? "  tls:\n    certificate: %s\n    key: %s\n".formatted(dir.resolve("cert.pem"), dir.resolve("key.pem")) : ""));
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        RegistryServer server = new RegistryServer(dir, port, process, tls);
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try { // curl: it verifies the HTTPS registry with the CA as a client would
                TestApps.run(dir, "curl", "-sf", "-o", "/dev/null", "--max-time", "2", "--cacert",
                        tls ? server.caFile().toString() : "/dev/null", server.url() + "/v2/");
                return server;
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

    /**
     * Pushes, through the registry's HTTP API, an image whose one gzip layer holds a single file of {@code bytes}
     * zeros: a few hundred kilobytes to download that unpack to {@code bytes} (the tar is made by the real
     * {@code tar} from a sparse file, so it never takes that much disk here). Plain HTTP registries only.
     */
    public void pushZeros(String repository, String tag, long bytes) throws IOException, InterruptedException {
        Path work = Files.createDirectories(dir.resolve("zeros-" + bytes));
        try (var file = java.nio.channels.FileChannel.open(work.resolve("zeros"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(0);
            file.write(java.nio.ByteBuffer.wrap(new byte[1]), bytes - 1); // sparse
        }
        Process tar = new ProcessBuilder("tar", "--numeric-owner", "-C", work.toString(), "-cf", "-", "zeros")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.security.MessageDigest diff = sha256();
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var in = new java.security.DigestInputStream(tar.getInputStream(), diff);
             var out = new java.util.zip.GZIPOutputStream(gz, 1 << 16)) {
            in.transferTo(out);
        }
        if (tar.waitFor() != 0) throw new IOException("tar failed");
        byte[] layer = gz.toByteArray();
        String diffId = "sha256:" + java.util.HexFormat.of().formatHex(diff.digest());
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"1000\"},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String layerDigest = uploadBlob(repository, layer);
        String configDigest = uploadBlob(repository, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + configDigest + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest + "\",\"size\":"
                + layer.length + "}]}";
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + host() + "/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) throw new IOException("manifest push: " + put.statusCode() + " " + put.body());
    }

    private String uploadBlob(String repository, byte[] blob) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(
                URI.create("http://" + host() + "/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (start.statusCode() != 202) throw new IOException("blob upload: " + start.statusCode() + " " + start.body());
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(sha256().digest(blob));
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put = URI.create("http://" + host() + "/").resolve(location);
        put = URI.create(put + (put.getQuery() == null ? "?" : "&") + "digest=" + digest);
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(put)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) throw new IOException("blob push: " + done.statusCode() + " " + done.body());
        return digest;
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

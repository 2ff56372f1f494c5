package io.slipway.gitgateway.e2e;

import io.slipway.api.ApiServerApplication;
import io.slipway.api.accounts.CreateUser;
import io.slipway.api.web.InternalListener;
import io.slipway.gitgateway.GitGateway;
import io.slipway.gitgateway.GitGatewayConfig;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.testing.ScratchDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The platform the end-to-end tests push to, started once per test JVM: PostgreSQL (zonky), S3 (s3proxy), the
 * real api-server over TLS (its git front door forwarding to the gateway), and the real git-gateway in-process
 * with a scripted build service. Tests create their own users and apps.
 */
public final class Platform {
    /** The gateway's own component token (role git-gateway), the only one this api-server knows. */
    public static final String INTERNAL_TOKEN = "e2e-git-gateway-token-0123456789abcdefghijklmnop";
    private static Platform instance;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    public final Path root;
    public final TestTls tls;
    public final int apiPort;
    public final int internalPort;
    public final int gitHttpPort;
    public final int sshPort;
    public final Path hostKey;
    public final ScriptedBuilds builds;
    public final HttpClient http;
    private final ConfigurableApplicationContext api;
    private GitGateway gateway;
    private Path workDir;

    public static synchronized Platform get() {
        if (instance == null) {
            try {
                instance = new Platform();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test platform", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::shutdown));
        }
        return instance;
    }

    private EmbeddedPostgres postgres;
    private S3Proxy s3;
    /** The root goes once everything using it has stopped (the JVM's end, see {@link #get}). */
    private final ScratchDirs scratch = new ScratchDirs();

    private Platform() throws Exception {
        root = scratch.create("slipway-git-e2e");
        tls = TestTls.create(Files.createDirectories(root.resolve("tls")));
        postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
        BlobStore store = org.gaul.s3proxy.BlobStores.create("transient", new Properties());
        store.createContainer("slipway");
        s3 = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "AKID", "SECRET").build();
        s3.start();
        while (!"STARTED".equals(s3.getState())) Thread.sleep(10);

        apiPort = LocalPorts.freePort();
        gitHttpPort = LocalPorts.freePort();
        sshPort = LocalPorts.freePort();
        hostKey = root.resolve("ssh/host_key");
        builds = new ScriptedBuilds(Files.createDirectories(root.resolve("received")));
        http = HttpClient.newBuilder().sslContext(trusting(tls.caPem())).connectTimeout(Duration.ofSeconds(10)).build();

        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + apiPort,
                "--server.address=127.0.0.1",
                "--server.ssl.enabled=true",
                "--server.ssl.key-store=" + tls.keyStore(),
                "--server.ssl.key-store-password=" + tls.password(),
                "--server.ssl.key-store-type=PKCS12",
                "--server.ssl.key-alias=api",
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                // config vars are encrypted at rest: a throwaway key for this platform
                "--slipway.secrets.key=e2e:" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                "--slipway.internal.port=0",
                "--slipway.internal.tokens=git-gateway=" + INTERNAL_TOKEN,
                "--slipway.public-url=" + apiUrl(),
                "--slipway.s3.endpoint=http://127.0.0.1:" + s3.getPort(),
                "--slipway.s3.bucket=slipway",
                "--slipway.s3.access-key=AKID",
                "--slipway.s3.secret-key=SECRET",
                "--slipway.git-gateway-url=http://127.0.0.1:" + gitHttpPort,
                "--slipway.rate-limit-per-hour=100000",
                "--spring.main.banner-mode=off"));
        api = new SpringApplicationBuilder(ApiServerApplication.class).run(args.toArray(String[]::new));
        internalPort = api.getBean(InternalListener.class).localPort();
        startGateway(root.resolve("work-" + UUID.randomUUID()));
    }

    /** Small enough that a test can push past it; the large-push test (6 MiB) stays under it. */
    public static final long MAX_PACK_BYTES = 16L * 1024 * 1024;

    public String apiUrl() {
        return "https://127.0.0.1:" + apiPort;
    }

    public GitGatewayConfig gatewayConfig(Path workDir, int httpPort, int sshPort) {
        return new GitGatewayConfig(URI.create(apiUrl()), URI.create("http://127.0.0.1:" + internalPort), INTERNAL_TOKEN,
                httpPort, "127.0.0.1", sshPort, "127.0.0.1", hostKey, workDir, tls.caPem(), "e2e-node", MAX_PACK_BYTES);
    }

    public synchronized void startGateway(Path workDir) throws Exception {
        this.workDir = workDir;
        gateway = new GitGateway(gatewayConfig(workDir, gitHttpPort, sshPort), apiClient -> builds);
        gateway.start();
    }

    /** Stops the in-process gateway (its ports are free for another one until {@link #startGateway}). */
    public synchronized void stopGateway() {
        gateway.stop();
    }

    /** Stops the gateway and starts a fresh one on the same ports, with the given work directory. */
    public synchronized void restartGateway(Path newWorkDir) throws Exception {
        gateway.stop();
        startGateway(newWorkDir);
    }

    public synchronized Path workDir() {
        return workDir;
    }

    /** A new account; returns its email and API key. */
    public User newUser() {
        String email = "git" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        CreateUser.Created created = api.getBean(CreateUser.class).create(email, "password-" + UUID.randomUUID(), false);
        return new User(email, created.apiKey());
    }

    public record User(String email, String apiKey) {}

    public String createApp(User owner) {
        String name = "app-" + UUID.randomUUID().toString().substring(0, 8);
        call(owner, "POST", "/apps", "{\"name\":\"" + name + "\"}", 201);
        return name;
    }

    public String call(User user, String method, String path, String json, int expected) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl() + path))
                    .header("Accept", "application/vnd.heroku+json; version=3")
                    .header("Authorization", "Bearer " + user.apiKey());
            if (json != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            else b.method(method, HttpRequest.BodyPublishers.noBody());
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void shutdown() {
        try {
            if (gateway != null) gateway.stop();
            api.close();
            s3.stop();
            postgres.close();
        } catch (Exception ignored) {
            // the JVM is going away
        } finally {
            scratch.deleteAll();
        }
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}

package io.slipway.launcher;

import io.slipway.shared.http.CaTrust;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.testing.ScratchDirs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.annotation.AnnotationConfigRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The whole embedded platform on a temporary data directory, driven like a user would: HTTPS trusting only
 * the generated CA, env.sh, S3 with the generated keys, users:create with the platform running and stopped,
 * and a restart on the same data. Starts the platform twice (each start boots Spring), so the steps share it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final String OBJECT_KEY = "checks/hello.txt";
    private Path dataDir;
    private LauncherConfig config;
    private Platform platform;
    private HttpClient https;

    @BeforeAll
    void start() throws IOException {
        dataDir = scratch.create("slipway-platform-test").resolve("data");
        config = new LauncherConfig(dataDir, LocalPorts.freePort(), "admin@example.com");
        platform = Platform.start(config);
        https = HttpClient.newBuilder().sslContext(CaTrust.sslContext(platform.tls().caCert()))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    void stop() throws IOException {
        if (platform != null) platform.close();
    }

    @Test
    @Order(1)
    void servesTheApiOverHttpsTrustingOnlyTheGeneratedCa() throws Exception {
        assertTrue(platform.firstRun());
        // up builds the api-server from the bean definitions the build's process-aot generated, as users run it
        assertFalse(platform.apiServer() instanceof AnnotationConfigRegistry, "Spring AOT: no annotation scanning");
        HttpResponse<String> apps = get(config.publicUrl() + "/apps", platform.adminApiKey());
        assertEquals(200, apps.statusCode(), apps.body());
        assertTrue(apps.body().startsWith("["), apps.body());

        // GET /account is what the CLI asks first; it may not exist yet in the api-server, but never errs
        HttpResponse<String> account = get(config.publicUrl() + "/account", platform.adminApiKey());
        if (account.statusCode() != 404) {
            assertEquals(200, account.statusCode(), account.body());
            assertTrue(account.body().contains("admin@example.com"), account.body());
        }

        // the certificate names localhost too, and the key is checked
        assertEquals(200, get("https://localhost:" + config.apiPort() + "/apps", platform.adminApiKey()).statusCode());
        assertEquals(401, get(config.publicUrl() + "/apps", "not-a-key").statusCode());

        // without the CA nothing is trusted: verification is not switched off anywhere
        HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThrows(SSLHandshakeException.class, () -> defaultTrust.send(
                HttpRequest.newBuilder(URI.create(config.publicUrl() + "/apps")).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    @Order(1)
    void theRouterAnswersHttpsWithTheLocalCasWildcardOverHttp2() throws Exception {
        assertTrue(platform.routerTlsPort() > 0 && platform.routerTlsPort() != platform.routerPort());
        HttpClient h2 = HttpClient.newBuilder().sslContext(CaTrust.sslContext(platform.tls().caCert()))
                .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build();
        // no app is called "localhost": the router's own 404 page, over a handshake verified against the CA
        HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + platform.routerTlsPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode(), r.body());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertTrue(Quickstart.text(platform).contains("https://<app>.localhost:" + platform.routerTlsPort() + "/"));
    }

    @Test
    @Order(2)
    void writesEnvFileStateAndSecretsForTheOwnerOnly() throws Exception {
        DataDir dir = platform.dataDir();
        Map<String, String> env = exports(dir.envFile());
        String ca = platform.tls().caCert().toString();
        assertEquals(config.publicUrl(), env.get("HEROKU_HOST"));
        assertEquals(platform.adminApiKey(), env.get("HEROKU_API_KEY"));
        assertEquals(config.publicUrl(), env.get("HEROKU_PARTICLEBOARD_URL"));
        assertEquals(LauncherConfig.HOST, env.get("HEROKU_DATA_HOST")); // a host name only: the CLI adds HEROKU_HOST's port
        assertEquals(ca, env.get("NODE_EXTRA_CA_CERTS"));
        assertEquals("true", env.get("DISABLE_TELEMETRY"));
        assertEquals("1", env.get("HEROKU_SKIP_ANALYTICS"));
        assertEquals("true", env.get("HEROKU_SKIP_NEW_VERSION_CHECK"));
        assertEquals("1", env.get("HEROKU_DISABLE_AUTOUPDATE"));
        assertEquals("0", env.get("HEROKU_NOTIFICATIONS"));
        assertEquals("1", env.get("GIT_CONFIG_COUNT"));
        assertEquals("http." + config.publicUrl() + "/.sslCAInfo", env.get("GIT_CONFIG_KEY_0"));
        assertEquals(ca, env.get("GIT_CONFIG_VALUE_0"));

        for (Path secret : new Path[] {dir.envFile(), dir.stateFile(), dir.tls().resolve("ca-key.pem"),
                dir.tls().resolve("server-key.pem"), dir.secretFile("token-router"), dir.secretFile("token-agent"),
                dir.secretFile("token-build-worker"), dir.secretFile("token-git-gateway"),
                dir.secretFile("token-operator"), dir.secretFile("admin-api-key"),
                dir.secretFile("admin-password"), dir.secretFile("s3-access-key"), dir.secretFile("s3-secret-key"),
                dir.secretFile("postgres-password"), dir.secretFile("secrets-key")}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)), secret.toString());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.root())));

        StateFile.State state = StateFile.live(dir.stateFile()).orElseThrow();
        assertEquals(ProcessHandle.current().pid(), state.pid());
        assertEquals(config.apiPort(), state.port());
        assertEquals(dir.secretFile("token-operator").toString(), state.operatorTokenFile());
        assertTrue(state.internalUrl().startsWith("http://127.0.0.1:"), state.internalUrl());
        assertFalse(Files.exists(dir.secretFile("internal-token")), "no shared internal token any more");
    }

    @Test
    @Order(3)
    void objectStoreAcceptsOnlyTheGeneratedCredentials() {
        EmbeddedObjectStore.Coordinates s3 = platform.objectStore();
        try (S3Client client = s3Client(s3, s3.secretKey())) {
            client.putObject(b -> b.bucket(s3.bucket()).key(OBJECT_KEY), RequestBody.fromString("hello slipway"));
            assertEquals("hello slipway", client.getObjectAsBytes(b -> b.bucket(s3.bucket()).key(OBJECT_KEY)).asUtf8String());
        }
        try (S3Client wrong = s3Client(s3, "wrong-secret")) {
            S3Exception e = assertThrows(S3Exception.class, () -> wrong.listObjectsV2(b -> b.bucket(s3.bucket())));
            assertEquals(403, e.statusCode());
        }
        assertTrue(Files.exists(platform.dataDir().objects().resolve(s3.bucket())));
    }

    @Test
    @Order(4)
    void theInternalApiIsOnItsOwnLoopbackListenerWithOneTokenPerComponent() throws Exception {
        String admin = platform.adminApiKey();
        // on the TLS front door, no spelling of an internal path is served, even to an administrator's key
        for (String path : List.of("/internal/snapshot", "/%69nternal/snapshot", "/internal;x=y/snapshot")) {
            HttpResponse<String> r = get(config.publicUrl() + path, admin);
            assertEquals(404, r.statusCode(), path + ": " + r.body());
            assertFalse(r.body().contains("\"seq\""), r.body());
        }
        StateFile.State state = StateFile.live(platform.dataDir().stateFile()).orElseThrow();
        String internal = state.internalUrl();
        assertEquals(401, get(internal + "/internal/snapshot", admin).statusCode(), "a user's key on the internal listener");
        assertEquals(404, get(internal + "/apps", secret("token-router")).statusCode(), "no Platform API there");
        assertEquals(200, get(internal + "/internal/snapshot", secret("token-router")).statusCode());
        assertEquals(403, get(internal + "/internal/snapshot", secret("token-agent")).statusCode());
        assertEquals(403, get(internal + "/internal/snapshot", secret("token-build-worker")).statusCode());
        assertEquals(403, get(internal + "/internal/snapshot", secret("token-operator")).statusCode());
        assertEquals(403, get(internal + "/internal/routes", secret("token-git-gateway")).statusCode());
        // the in-process agent's token is bound to its own id
        String agentId = Files.readString(platform.dataDir().agent().resolve("agent-id")).trim();
        assertEquals(200, get(internal + "/internal/agents/" + agentId + "/assignments", secret("token-agent"))
                .statusCode());
        assertEquals(403, get(internal + "/internal/agents/other-agent/assignments", secret("token-agent")).statusCode());
    }

    private String secret(String name) {
        return platform.dataDir().secret(name).orElseThrow();
    }

    @Test
    @Order(4)
    void usersCreateGoesThroughTheRunningPlatform() throws Exception {
        String email = "online-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        UsersCreateCommand.Result created = UsersCreateCommand.create(dataDir, email, "password-123", false);
        assertTrue(created.viaRunningPlatform());
        assertEquals(200, get(config.publicUrl() + "/apps", created.apiKey()).statusCode());

        IllegalStateException taken = assertThrows(IllegalStateException.class,
                () -> UsersCreateCommand.create(dataDir, email, null, false));
        assertTrue(taken.getMessage().contains("already exists"), taken.getMessage());
        IllegalStateException bad = assertThrows(IllegalStateException.class,
                () -> UsersCreateCommand.create(dataDir, "not-an-email", null, false));
        assertTrue(bad.getMessage().contains("Invalid email"), bad.getMessage());
    }

    @Test
    @Order(5)
    void stopsCleanlyAndARestartReusesEverything() throws Exception {
        DataDir dir = platform.dataDir();
        String adminKey = platform.adminApiKey();
        String ca = Files.readString(platform.tls().caCert());
        assertThrows(IllegalStateException.class, () -> Platform.start(config), "a second up on a running data dir");

        platform.close();
        assertFalse(Files.exists(dir.stateFile()), "state file removed on a clean stop");
        assertFalse(Files.exists(dir.postgres().resolve("postmaster.pid")), "PostgreSQL stopped");
        assertThrows(IOException.class, () -> get(config.publicUrl() + "/apps", adminKey));

        String email = "offline-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        UsersCreateCommand.Result offline = UsersCreateCommand.create(dataDir, email, null, true);
        assertFalse(offline.viaRunningPlatform());
        assertFalse(Files.exists(dir.postgres().resolve("postmaster.pid")), "PostgreSQL stopped after users:create");

        platform = Platform.start(config);
        assertFalse(platform.firstRun());
        assertEquals(adminKey, platform.adminApiKey());
        assertEquals(ca, Files.readString(platform.tls().caCert()));
        assertEquals(adminKey, exports(dir.envFile()).get("HEROKU_API_KEY"));
        assertEquals(200, get(config.publicUrl() + "/apps", adminKey).statusCode());
        assertEquals(200, get(config.publicUrl() + "/apps", offline.apiKey()).statusCode());
        assertNotEquals(adminKey, offline.apiKey());

        EmbeddedObjectStore.Coordinates s3 = platform.objectStore();
        try (S3Client client = s3Client(s3, s3.secretKey())) {
            assertEquals("hello slipway", client.getObjectAsBytes(b -> b.bucket(s3.bucket()).key(OBJECT_KEY)).asUtf8String());
        }
    }

    private HttpResponse<String> get(String url, String apiKey) throws IOException, InterruptedException {
        return https.send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/vnd.heroku+json; version=3")
                .header("Authorization", "Bearer " + apiKey)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static S3Client s3Client(EmbeddedObjectStore.Coordinates s3, String secret) {
        return S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.of(s3.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), secret)))
                .build();
    }

    /** The {@code export NAME='value'} lines of env.sh, unquoted as the shell would. */
    private static Map<String, String> exports(Path envFile) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(envFile)) {
            if (!line.startsWith("export ")) continue;
            int eq = line.indexOf('=');
            String value = line.substring(eq + 1);
            assertTrue(value.startsWith("'") && value.endsWith("'"), line);
            env.put(line.substring(7, eq), value.substring(1, value.length() - 1).replace("'\\''", "'"));
        }
        return env;
    }
}

package io.slipway.api.support;

import io.slipway.api.ApiServerApplication;
import io.slipway.api.accounts.CreateUser;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the api-server integration tests: the real application on a random port, against a real
 * PostgreSQL, driven over HTTP. Every test class shares one Spring context (identical configuration), so
 * tests make their own users ({@link #newUser()}) and apps rather than relying on a clean database.
 * <p>The internal API is on its own listener ({@link #internalBaseUrl()}), with one token per component role
 * ({@link #asComponent}) and, for dyno-agents, one per agent id from a pool configured at startup
 * ({@link #newAgentId()}, {@link #asAgent}).
 */
@SpringBootTest(classes = ApiServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(HerokuSchema.ReportSkipped.class)
public abstract class ApiTest {
    /** The api-server's secrets keys: "k1" is the primary; "k2" is only read (the rotation test moves rows to it). */
    public static final String SECRETS_KEY_1 = "k1:" + java.util.Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    public static final String SECRETS_KEY_2 = "k2:" + java.util.Base64.getEncoder().encodeToString(new byte[] {
            9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 99});
    /** Test servers that stand for a user's log collector or source host listen here: the operator allows it. */
    public static final String ALLOWED_COLLECTOR_HOST = "127.0.0.2";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Agent ids that have a token; unique to this JVM, so tests sharing the database never collide. */
    private static final List<String> AGENT_IDS = new ArrayList<>();
    private static final AtomicInteger NEXT_AGENT = new AtomicInteger();

    static {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 400; i++) AGENT_IDS.add("agent-" + run + "-" + i);
    }
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Autowired
    protected CreateUser createUser;
    @Autowired
    protected Environment environment;
    @Autowired
    protected InternalListener internalListener;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("slipway.internal.port", () -> "0");
        registry.add("slipway.internal.tokens", ApiTest::tokensSetting);
        registry.add("slipway.public-url", () -> "https://127.0.0.1:5443");
        // small enough that a test can drain a bucket quickly, large enough for any single test's traffic
        registry.add("slipway.rate-limit-per-hour", () -> "1000");
        // the tests' agents (FakeAgent, hand-made calls) do not heartbeat: the production default (12 s) would move
        // their dynos in the middle of longer tests. PostgresRestartTest runs with real heartbeats and a short one.
        registry.add("slipway.runtime.lost-after-seconds", () -> "30");
        // password logins: small limits so the brute-force tests (own source addresses) stay short
        registry.add("slipway.logins.max-failures-per-account", () -> "5");
        registry.add("slipway.logins.max-failures-per-address", () -> "20");
        registry.add("slipway.secrets.key", () -> SECRETS_KEY_1 + "," + SECRETS_KEY_2);
        // the heroku run rendezvous on a free port, with a certificate the tests trust
        registry.add("slipway.rendezvous.port", () -> "0");
        // as with several replicas: every session is claimed in the database; halves landing elsewhere are relayed
        registry.add("slipway.rendezvous.relay-address", () -> "127.0.0.1");
        // loopback stays refused for drains and source URLs, except the one address test collectors use
        registry.add("slipway.outbound.allow", () -> ALLOWED_COLLECTOR_HOST + "/32");
        registry.add("slipway.rendezvous.certificate", () -> TestCertificates.certificate().toString());
        registry.add("slipway.rendezvous.private-key", () -> TestCertificates.privateKey().toString());
    }

    /** The settings {@link #database} gives the first replica, as command-line arguments for another one. */
    public static java.util.List<String> replicaArguments() {
        return java.util.List.of(
                "--server.port=0",
                "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--slipway.internal.port=0",
                "--slipway.internal.tokens=" + tokensSetting(),
                "--slipway.public-url=https://127.0.0.1:5443",
                "--slipway.rate-limit-per-hour=1000",
                "--slipway.logins.max-failures-per-account=5",
                "--slipway.logins.max-failures-per-address=20",
                "--slipway.secrets.key=" + SECRETS_KEY_1 + "," + SECRETS_KEY_2,
                "--slipway.rendezvous.port=0",
                "--slipway.rendezvous.relay-address=127.0.0.1",
                "--slipway.outbound.allow=" + ALLOWED_COLLECTOR_HOST + "/32",
                "--slipway.rendezvous.certificate=" + TestCertificates.certificate(),
                "--slipway.rendezvous.private-key=" + TestCertificates.privateKey());
    }

    /** The component tokens and the agent pool's, as {@code SLIPWAY_INTERNAL_TOKENS} spells them. */
    public static String tokensSetting() {
        StringBuilder b = new StringBuilder();
        for (ComponentRole role : ComponentRole.values()) {
            if (role != ComponentRole.AGENT) b.append(role.wireName()).append('=').append(token(role)).append('\n');
        }
        for (String id : AGENT_IDS) b.append("agent:").append(id).append('=').append(agentToken(id)).append('\n');
        return b.toString();
    }

    /** The test token of a component role (not agents: {@link #agentToken}). */
    public static String token(ComponentRole role) {
        return "test-" + role.wireName() + "-token-0123456789abcdefghijklmnopqrstuvwxyz";
    }

    /** The token of one agent id of the pool. */
    public static String agentToken(String agentId) {
        return "test-agent-token-" + agentId + "-0123456789abcdefghijklmnopqrstuvwxyz";
    }

    /** An agent id with its own token, unused so far in this JVM. */
    public static String newAgentId() {
        return AGENT_IDS.get(NEXT_AGENT.getAndIncrement());
    }

    /** A user with a fresh API key. */
    protected User newUser() {
        String email = "user" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        CreateUser.Created created = createUser.create(email, "password-" + email, false);
        return new User(created.account().id(), email, "password-" + email, created.apiKey());
    }

    /** A name no other test uses. */
    protected static String uniqueAppName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + environment.getProperty("local.server.port");
    }

    protected Call call(String method, String path) {
        return new Call(baseUrl(), method, path);
    }

    /** The internal API's own listener. */
    protected String internalBaseUrl() {
        return "http://127.0.0.1:" + internalListener.localPort();
    }

    /** A call on the internal listener without credentials. */
    protected Call internalCall(String method, String path) {
        return new Call(internalBaseUrl(), method, path);
    }

    /** A call on the internal listener with the token of a component role. */
    protected Call asComponent(ComponentRole role, String method, String path) {
        return internalCall(method, path).header("Authorization", "Bearer " + token(role));
    }

    /** A call on the internal listener with the token of the agent {@code agentId} (from {@link #newAgentId()}). */
    protected Call asAgent(String agentId, String method, String path) {
        return internalCall(method, path).header("Authorization", "Bearer " + agentToken(agentId));
    }

    public record User(UUID id, String email, String password, String apiKey) {}

    /** A fluent HTTP call with Heroku's headers; {@code as(user)} adds the bearer token. */
    public static final class Call {
        private final HttpRequest.Builder builder;
        private final String method;
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

        Call(String base, String method, String path) {
            this.method = method;
            this.builder = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/vnd.heroku+json; version=3");
        }

        public Call as(User user) {
            return header("Authorization", "Bearer " + user.apiKey());
        }

        public Call header(String name, String value) {
            builder.setHeader(name, value);
            return this;
        }

        public Call json(String json) {
            builder.header("Content-Type", "application/json");
            body = HttpRequest.BodyPublishers.ofString(json);
            return this;
        }

        public Response send() {
            try {
                HttpResponse<String> r = HTTP.send(builder.method(method, body).build(), HttpResponse.BodyHandlers.ofString());
                return new Response(r);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

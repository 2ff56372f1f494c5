package io.slipway.api.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.ApiServerApplication;
import io.slipway.api.accounts.CreateUser;
import io.slipway.api.events.EventNotifications;
import io.slipway.api.web.InternalListener;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import io.slipway.api.support.ApiTest;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.events.Event;
import io.slipway.shared.events.EventStreamClient;
import io.slipway.shared.events.EventSubscription;
import io.slipway.shared.events.EventTypes;
import io.slipway.shared.net.LocalPorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL restarted under a running api-server (its own server here, on its own port and data directory, so
 * no other test's database goes away): the connection pool and the event stream's LISTEN connection recover by
 * themselves, the API answers again, and a follower connected before the restart hears of changes made after it.
 */
@SpringBootTest(classes = ApiServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PostgresRestartTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static EmbeddedPostgres postgres;
    private static Path dataDir;
    private static int port;

    @Autowired
    EventNotifications notifications;
    @Autowired
    CreateUser createUser;
    @Autowired
    Environment environment;
    @Autowired
    InternalListener internalListener;
    @Autowired
    io.slipway.api.scheduler.SchedulerLoop scheduler;

    /** ApiTest's settings, but this class's own PostgreSQL (ApiTest's shared one must not go away). */
    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", PostgresRestartTest::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("slipway.internal.port", () -> "0");
        registry.add("slipway.internal.tokens", ApiTest::tokensSetting);
        registry.add("slipway.public-url", () -> "https://127.0.0.1:5443");
        registry.add("slipway.secrets.key", () -> ApiTest.SECRETS_KEY_1);
        registry.add("slipway.rendezvous.port", () -> "-1");
        // short, so that the test's outage is longer than it: an agent must still not be called lost for it
        registry.add("slipway.runtime.lost-after-seconds", () -> "4");
        registry.add("slipway.runtime.heartbeat-seconds", () -> "1");
    }

    private static synchronized String jdbcUrl() {
        if (postgres == null) {
            try {
                dataDir = Files.createTempDirectory("slipway-pg-restart-");
                port = LocalPorts.freePort();
                postgres = start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    private static EmbeddedPostgres start() throws IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        if (postgres != null) postgres.close();
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String internalBaseUrl() {
        return "http://127.0.0.1:" + internalListener.localPort();
    }

    private int send(String base, String method, String path, String token, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/vnd.heroku+json; version=3")
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private boolean createsApp(String apiKey, String name) {
        return send("http://127.0.0.1:" + environment.getProperty("local.server.port"), "POST", "/apps", apiKey,
                "{\"name\":\"" + name + "\"}") == 201;
    }

    private String agentState(String agentId) {
        return new org.springframework.jdbc.core.JdbcTemplate(dataSource)
                .queryForObject("SELECT state FROM agents WHERE id = ?", String.class, agentId);
    }

    @Autowired
    javax.sql.DataSource dataSource;

    private static boolean until(Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    @Test
    void theApiTheEventStreamAndTheAgentsComeBackAfterARestart() throws Exception {
        assertThat(environment.getProperty("spring.datasource.url")).contains(":" + port + "/");
        String apiKey = createUser.create("pg-restart-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com",
                "password-" + UUID.randomUUID(), false).apiKey();
        // an agent heartbeating all along (every second, as long as anyone answers)
        String agentId = ApiTest.newAgentId();
        String agentToken = ApiTest.agentToken(agentId);
        assertThat(send(internalBaseUrl(), "POST", "/internal/agents", agentToken, "{\"agent_id\":\"" + agentId
                + "\",\"host\":\"127.0.0.1\",\"memory_mb\":1024,\"dyno_slots\":4}")).isIn(200, 201);
        java.util.concurrent.atomic.AtomicBoolean beating = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread heart = new Thread(() -> {
            while (beating.get()) {
                send(internalBaseUrl(), "POST", "/internal/agents/" + agentId + "/heartbeat", agentToken,
                        "{\"dynos\":[]}");
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        heart.setDaemon(true);
        heart.start();
        EventStreamClient client = EventStreamClient.builder(URI.create(internalBaseUrl()),
                        ApiTest.token(ComponentRole.ROUTER))
                .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)).build();
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (EventSubscription sub = client.follow(client.snapshot().seq(), received::add)) {
            assertThat(until(Duration.ofSeconds(30), notifications::isListening)).isTrue();

            postgres.close(); // every connection, the LISTEN one too, is cut
            assertThat(until(Duration.ofSeconds(30), () -> !notifications.isListening()))
                    .as("the listener noticed").isTrue();
            // the outage lasts longer than lost-after-seconds: no heartbeat can be recorded meanwhile
            Thread.sleep(6_000);
            postgres = start();

            String name = "after-restart-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(until(Duration.ofSeconds(90), () -> createsApp(apiKey, name)))
                    .as("the API answers again without anyone acting").isTrue();
            assertThat(until(Duration.ofSeconds(30), notifications::isListening)).as("LISTEN again").isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Event created = null;
            while (created == null && System.nanoTime() < deadline) {
                Event e = received.poll(1, TimeUnit.SECONDS);
                if (e != null && EventTypes.APP_CREATED.equals(e.type()) && name.equals(e.appName())) created = e;
            }
            assertThat(created).as("the follower connected before the restart hears of the new app").isNotNull();
            // several whole scheduler passes later (sweeps of lost agents included), the agent that kept
            // heartbeating was never called lost
            long passes = scheduler.passesSoFar();
            assertThat(until(Duration.ofSeconds(60), () -> scheduler.passesSoFar() >= passes + 4))
                    .as("scheduler passes after the restart").isTrue();
            assertThat(agentState(agentId)).as("an outage of the database is not an outage of the agent")
                    .isEqualTo("live");
        } finally {
            beating.set(false);
            heart.interrupt();
        }
    }
}

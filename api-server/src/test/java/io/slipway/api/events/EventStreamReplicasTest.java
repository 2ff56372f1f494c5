package io.slipway.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Replica;
import io.slipway.api.support.TestDeploys;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalListener;
import io.slipway.shared.events.Event;
import io.slipway.shared.events.EventStreamClient;
import io.slipway.shared.events.EventSubscription;
import io.slipway.shared.events.EventTypes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several api-server replicas on one database: a follower connected to one replica sees changes made
 * through another (LISTEN/NOTIFY wakes it), and a follower whose replica restarts resumes where it was.
 */
@ExtendWith(Replica.StopSecond.class)
class EventStreamReplicasTest extends ApiTest {
    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Replica startReplica(int port, int internalPort) {
        return Replica.start("--server.port=" + port, "--slipway.internal.port=" + internalPort,
                "--slipway.events.keepalive-seconds=1");
    }

    /** A change made through a given replica (ApiTest's call() always targets the first one). */
    private static void setMaintenance(String baseUrl, User user, String app, boolean on) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/apps/" + app))
                .header("Accept", "application/vnd.heroku+json; version=3")
                .header("Authorization", "Bearer " + user.apiKey())
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"maintenance\":" + on + "}"))
                .timeout(Duration.ofSeconds(30)).build();
        assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    private JsonNode createApp(User user) {
        return call("POST", "/apps").as(user).json("{\"name\":\"" + uniqueAppName("rep") + "\"}").send().expect(201).json();
    }

    private long lastSeq() {
        return asComponent(ComponentRole.ROUTER, "GET", "/internal/snapshot").send()
                .expect(200).json().path("seq").asLong();
    }

    @Test
    void followersSeeChangesMadeThroughAnotherReplica() throws Exception {
        User alice = newUser();
        JsonNode app = createApp(alice);
        String appId = app.path("id").asText();
        try (Replica second = startReplica(0, 0)) {
            String secondUrl = second.baseUrl();
            Map<String, String> token = Map.of("Authorization", "Bearer " + token(ComponentRole.ROUTER));

            // follower on replica 1, change through replica 2
            try (SseConnection onFirst = SseConnection.open(internalBaseUrl() + "/internal/events?after=" + lastSeq(), token)) {
                assertThat(onFirst.status()).isEqualTo(200);
                setMaintenance(secondUrl, alice, appId, true);
                SseConnection.Frame f = onFirst.next(x -> x.json().path("app_id").asText().equals(appId), WAIT);
                assertThat(f.event()).isEqualTo("app.maintenance");
                assertThat(f.json().path("payload").path("maintenance").asBoolean()).isTrue();
            }

            // and the other way round; replica 2 also sends its keepalives (every second in this test)
            try (SseConnection onSecond = SseConnection.open(second.internalBaseUrl() + "/internal/events?after=" + lastSeq(), token)) {
                assertThat(onSecond.status()).isEqualTo(200);
                call("PATCH", "/apps/" + appId).as(alice).json("{\"maintenance\":false}").send().expect(200);
                SseConnection.Frame f = onSecond.next(x -> x.json().path("app_id").asText().equals(appId), WAIT);
                assertThat(f.event()).isEqualTo("app.maintenance");
                assertThat(f.json().path("payload").path("maintenance").asBoolean()).isFalse();
                assertThat(onSecond.awaitComments(3, WAIT)).as("keepalive comments").isTrue();
            }
        }
    }

    @Test
    void theClientResumesWhenItsReplicaRestarts() throws Exception {
        User alice = newUser();
        UUID appId = UUID.fromString(createApp(alice).path("id").asText());
        Replica replica = startReplica(0, 0);
        int port = Integer.parseInt(replica.context().getEnvironment().getProperty("local.server.port"));
        int internalPort = replica.context().getBean(InternalListener.class).localPort();
        EventStreamClient client = EventStreamClient.builder(URI.create(replica.internalBaseUrl()), token(ComponentRole.ROUTER))
                .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(500)).build();
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (EventSubscription sub = client.follow(lastSeq(), received::add)) {
            call("PATCH", "/apps/" + appId).as(alice).json("{\"maintenance\":true}").send().expect(200);
            assertThat(next(received, appId).payloadBoolean("maintenance")).isTrue();

            replica.close(); // must not wait for the open stream: the followers are ended first
            call("PATCH", "/apps/" + appId).as(alice).json("{\"maintenance\":false}").send().expect(200);
            replica = startReplica(port, internalPort);
            Event missed = next(received, appId);
            assertThat(missed.type()).isEqualTo(EventTypes.APP_MAINTENANCE);
            assertThat(missed.payloadBoolean("maintenance")).isFalse();
            assertThat(sub.connectionCount()).isGreaterThanOrEqualTo(2);
        } finally {
            replica.close();
        }
    }

    @Test
    void aReplicaWhoseListenConnectionBrokeListensAgain() throws Exception {
        User alice = newUser();
        String appId = createApp(alice).path("id").asText();
        Replica b = Replica.second();
        EventNotifications listener = b.context().getBean(EventNotifications.class);
        TestDeploys.await("replica B listens", listener::isListening);
        Map<String, String> token = Map.of("Authorization", "Bearer " + token(ComponentRole.ROUTER));
        try (SseConnection onB = SseConnection.open(b.internalBaseUrl() + "/internal/events?after=" + lastSeq(), token)) {
            assertThat(onB.status()).isEqualTo(200);
            // committed on A, followed on B: the normal path, measured
            long sent = System.nanoTime();
            call("PATCH", "/apps/" + appId).as(alice).json("{\"maintenance\":true}").send().expect(200);
            onB.next(x -> x.json().path("app_id").asText().equals(appId), WAIT);
            System.out.println("[EventStreamReplicasTest] A->B event delivered in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) + " ms");

            // every LISTEN connection is cut, as when PostgreSQL restarts: the replicas listen again
            List<Integer> before = jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN %'",
                    Integer.class);
            assertThat(before).isNotEmpty();
            jdbc.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY (?)",
                    Boolean.class, (Object) before.toArray(new Integer[0]));
            TestDeploys.await("a new LISTEN connection", () -> jdbc.queryForList(
                    "SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN %'", Integer.class).stream()
                    .anyMatch(pid -> !before.contains(pid)) && listener.isListening());
            call("PATCH", "/apps/" + appId).as(alice).json("{\"maintenance\":false}").send().expect(200);
            SseConnection.Frame f = onB.next(x -> x.json().path("app_id").asText().equals(appId)
                    && !x.json().path("payload").path("maintenance").asBoolean(), WAIT);
            assertThat(f.event()).isEqualTo("app.maintenance");
        }
    }

    private static Event next(BlockingQueue<Event> queue, UUID appId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Event e = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("an event of %s within %s", appId, WAIT).isNotNull();
            if (appId.equals(e.appId())) return e;
        }
    }
}

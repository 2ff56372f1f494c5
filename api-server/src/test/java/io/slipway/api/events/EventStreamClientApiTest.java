package io.slipway.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.events.Event;
import io.slipway.shared.events.EventStreamClient;
import io.slipway.shared.events.EventSubscription;
import io.slipway.shared.events.EventTypes;
import io.slipway.shared.events.Snapshot;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared module's follower client against the real api-server. */
class EventStreamClientApiTest extends ApiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EventStreamClient client() {
        return EventStreamClient.builder(URI.create(internalBaseUrl()), token(ComponentRole.ROUTER))
                .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)).build();
    }

    private JsonNode createApp(User user) {
        return call("POST", "/apps").as(user).json("{\"name\":\"" + uniqueAppName("cli") + "\"}").send().expect(201).json();
    }

    /** The next events of one app (others' events may be interleaved), up to {@code n}. */
    private static List<Event> take(BlockingQueue<Event> queue, UUID appId, int n) throws InterruptedException {
        List<Event> mine = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (mine.size() < n) {
            Event e = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("events of %s so far: %s", appId, mine).isNotNull();
            if (appId.equals(e.appId())) mine.add(e);
        }
        return mine;
    }

    @Test
    void snapshotThenFollowThenResume() throws Exception {
        EventStreamClient client = client();
        User alice = newUser();
        Snapshot snapshot = client.snapshot();
        assertThat(snapshot.seq()).isGreaterThanOrEqualTo(0);
        assertThat(snapshot.json()).startsWith("{");

        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        EventSubscription sub = client.follow(snapshot.seq(), received::add);
        JsonNode app = createApp(alice);
        UUID appId = UUID.fromString(app.path("id").asText());
        List<Event> created = take(received, appId, 3);
        assertThat(created).extracting(Event::type)
                .containsExactly(EventTypes.APP_CREATED, EventTypes.DOMAIN_ADDED, EventTypes.RELEASE_CREATED);
        assertThat(created.get(0).appName()).isEqualTo(app.path("name").asText());
        assertThat(created.get(1).payloadString("hostname")).isEqualTo(app.path("name").asText() + ".localhost");
        assertThat(created.get(2).payloadLong("version")).isEqualTo(1L);
        assertThat(created.get(0).createdAt()).isNotNull();
        assertThat(sub.isConnected()).isTrue();
        sub.close();
        long resumeFrom = sub.lastSeq();
        assertThat(resumeFrom).isGreaterThanOrEqualTo(created.get(2).seq());

        // changes while nobody follows are delivered on resume, and nothing before them again
        call("PATCH", "/apps/" + appId).as(alice).json("{\"maintenance\":true}").send().expect(200);
        BlockingQueue<Event> resumed = new LinkedBlockingQueue<>();
        try (EventSubscription again = client.follow(resumeFrom, resumed::add)) {
            Event maintenance = take(resumed, appId, 1).get(0);
            assertThat(maintenance.type()).isEqualTo(EventTypes.APP_MAINTENANCE);
            assertThat(maintenance.payloadBoolean("maintenance")).isTrue();
            assertThat(maintenance.seq()).isGreaterThan(resumeFrom);
        }

        List<Event> polled = client.poll(created.get(0).seq() - 1, Duration.ZERO);
        assertThat(polled.get(0).seq()).isEqualTo(created.get(0).seq());
        assertThat(polled.get(0).json()).contains("\"app.created\"");
        List<Map<String, Object>> apps = client.snapshot().appObjects();
        assertThat(apps).anySatisfy(a -> {
            assertThat(a.get("id")).isEqualTo(appId.toString());
            assertThat(a.get("maintenance")).isEqualTo(true);
        });
    }

    @Test
    void aWrongTokenIsRetriedNotDelivered() throws Exception {
        EventStreamClient wrong = EventStreamClient.builder(URI.create(internalBaseUrl()), "not-the-token")
                .initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(100)).build();
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (EventSubscription sub = wrong.follow(0, received::add)) {
            io.slipway.api.support.TestDeploys.await("several refused attempts", () -> sub.failedAttemptCount() >= 3);
            assertThat(sub.isConnected()).isFalse();
            assertThat(sub.connectionCount()).isZero();
            assertThat(received).isEmpty();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(wrong::snapshot).hasMessageContaining("401");
    }
}

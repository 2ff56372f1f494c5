package io.slipway.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.api.support.TestDeploys;
import io.slipway.api.events.web.EventFollowers;
import io.slipway.api.web.ComponentRole;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code /internal/events} (SSE and long poll) and {@code /internal/snapshot} on one api-server. */
class EventStreamApiTest extends ApiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ROUTER_TOKEN = token(ComponentRole.ROUTER);
    private static final Map<String, String> TOKEN = Map.of("Authorization", "Bearer " + ROUTER_TOKEN);
    private final InternalEvents events = new InternalEvents(this::internalGet);
    @Autowired EventFollowers followers;

    private Response internalGet(String path) {
        return asComponent(ComponentRole.ROUTER, "GET", path).send();
    }

    private JsonNode createApp(User user) {
        return call("POST", "/apps").as(user).json("{\"name\":\"" + uniqueAppName("ev") + "\"}").send().expect(201).json();
    }

    @Test
    void internalEndpointsNeedTheInternalToken() {
        User alice = newUser();
        for (String path : List.of("/internal/events", "/internal/events?after=0&wait=0", "/internal/snapshot")) {
            internalCall("GET", path).send().expectError(401, "unauthorized");
            internalCall("GET", path).header("Authorization", "Bearer wrong").send().expectError(401, "unauthorized");
            internalCall("GET", path).as(alice).send().expectError(401, "unauthorized");
            call("GET", path).as(alice).send().expectError(404, "not_found");
        }
    }

    @Test
    void longPollReturnsTheEventsAfterASeqInOrder() {
        long before = events.lastSeq();
        JsonNode app = createApp(newUser());
        Response r = internalGet("/internal/events?after=" + before + "&wait=0").expect(200);
        List<JsonNode> mine = r.json().findParents("seq").stream()
                .filter(e -> e.path("app_id").asText().equals(app.path("id").asText())).toList();
        assertThat(mine).extracting(e -> e.path("type").asText())
                .containsExactly("app.created", "domain.added", "release.created");
        long previous = before;
        for (JsonNode e : r.json()) {
            assertThat(e.path("seq").asLong()).isGreaterThan(previous);
            previous = e.path("seq").asLong();
        }
        JsonNode created = mine.get(0);
        assertThat(created.path("app_name").asText()).isEqualTo(app.path("name").asText());
        assertThat(created.path("payload").path("name").asText()).isEqualTo(app.path("name").asText());
        assertThat(created.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(mine.get(1).path("payload").path("hostname").asText()).isEqualTo(app.path("name").asText() + ".localhost");
        assertThat(mine.get(2).path("payload").path("version").asInt()).isEqualTo(1);
        // paging by cursor: after the first of them, the first is not repeated
        JsonNode rest = internalGet("/internal/events?after=" + created.path("seq").asLong() + "&wait=0").expect(200).json();
        assertThat(rest.get(0).path("seq").asLong()).isGreaterThan(created.path("seq").asLong());
    }

    @Test
    void longPollWaitsForTheNextCommitOrAnswersEmpty() throws Exception {
        User alice = newUser();
        JsonNode app = createApp(alice);
        long before = events.lastSeq();
        assertThat(internalGet("/internal/events?after=" + before + "&wait=1").expect(200).json()).isEmpty();

        HttpRequest poll = HttpRequest.newBuilder(URI.create(internalBaseUrl() + "/internal/events?after=" + before + "&wait=25"))
                .header("Authorization", "Bearer " + ROUTER_TOKEN).timeout(Duration.ofSeconds(40)).GET().build();
        int waitingBefore = followers.waitingPollCount();
        CompletableFuture<HttpResponse<String>> pending = HTTP.sendAsync(poll, HttpResponse.BodyHandlers.ofString());
        // the commit must come while the poll waits, or this test would not see whether a commit wakes it
        TestDeploys.await("the poll waiting for a commit",
                () -> followers.waitingPollCount() > waitingBefore || pending.isDone());
        assertThat(pending).as("answered before anything was committed").isNotDone();
        call("PATCH", "/apps/" + app.path("name").asText()).as(alice).json("{\"maintenance\":true}").send().expect(200);
        HttpResponse<String> answered = pending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answered.body());
        assertThat(body).isNotEmpty();
        assertThat(body.get(0).path("type").asText()).isEqualTo("app.maintenance");
        assertThat(body.get(0).path("payload").path("maintenance").asBoolean()).isTrue();
    }

    @Test
    void refusesBadPositions() throws Exception {
        for (String query : List.of("after=abc", "after=-1", "after=1.5")) {
            internalGet("/internal/events?" + query).expectError(400, "bad_request");
            internalGet("/internal/events?" + query + "&wait=0").expectError(400, "bad_request");
        }
        for (String wait : List.of("61", "-1", "soon", "")) {
            internalGet("/internal/events?after=0&wait=" + wait).expectError(400, "bad_request");
        }
        asComponent(ComponentRole.ROUTER, "GET", "/internal/events")
                .header("Last-Event-ID", "x").send().expectError(400, "bad_request");
        // also when the client only accepts an event stream
        try (SseConnection sse = SseConnection.open(internalBaseUrl() + "/internal/events?after=nope", TOKEN)) {
            assertThat(sse.status()).isEqualTo(400);
            assertThat(sse.header("Content-Type")).startsWith("application/json");
        }
    }

    @Test
    void streamsTheBacklogThenNewEventsAsTheyCommit() throws Exception {
        User alice = newUser();
        long before = events.lastSeq();
        JsonNode app = createApp(alice);
        String appId = app.path("id").asText();
        try (SseConnection sse = SseConnection.open(internalBaseUrl() + "/internal/events?after=" + before, TOKEN)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
            SseConnection.Frame created = sse.next(f -> f.json().path("app_id").asText().equals(appId), WAIT);
            assertThat(created.event()).isEqualTo("app.created");
            assertThat(created.id()).isEqualTo(created.json().path("seq").asText());
            assertThat(created.json().path("type").asText()).isEqualTo("app.created");
            assertThat(created.json().path("app_name").asText()).isEqualTo(app.path("name").asText());
            assertThat(sse.next(WAIT).event()).isEqualTo("domain.added");
            assertThat(sse.next(WAIT).event()).isEqualTo("release.created");

            call("PATCH", "/apps/" + appId).as(alice).json("{\"maintenance\":true}").send().expect(200);
            SseConnection.Frame live = sse.next(f -> f.json().path("app_id").asText().equals(appId), WAIT);
            assertThat(live.event()).isEqualTo("app.maintenance");
            assertThat(live.json().path("payload").path("maintenance").asBoolean()).isTrue();
            assertThat(Long.parseLong(live.id())).isGreaterThan(Long.parseLong(created.id()));
            assertThat(sse.comments()).as("the ': connected' comment").isGreaterThanOrEqualTo(1);
        }
    }

    /**
     * Followers woken by the same commits share reads: each of them, whatever its cursor, still gets every
     * event after its cursor once and in order, the ones committed while the others were reading included.
     */
    @Test
    void manyFollowersAtDifferentCursorsEachGetEveryChangeOnceInOrder() throws Exception {
        User alice = newUser();
        long before = events.lastSeq();
        JsonNode app = createApp(alice);
        String appId = app.path("id").asText();
        long afterCreate = events.lastSeq();
        List<SseConnection> streams = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                long cursor = i % 2 == 0 ? before : afterCreate;
                streams.add(SseConnection.open(internalBaseUrl() + "/internal/events?after=" + cursor, TOKEN));
            }
            for (int i = 0; i < 4; i++) {
                call("PATCH", "/apps/" + appId).as(alice).json("{\"maintenance\":" + (i % 2 == 0) + "}").send().expect(200);
            }
            for (int s = 0; s < streams.size(); s++) {
                SseConnection sse = streams.get(s);
                if (s % 2 == 0) {
                    assertThat(sse.next(f -> f.json().path("app_id").asText().equals(appId), WAIT).event())
                            .isEqualTo("app.created");
                }
                long last = 0;
                for (int i = 0; i < 4; i++) {
                    SseConnection.Frame change = sse.next(f -> f.event().equals("app.maintenance")
                            && f.json().path("app_id").asText().equals(appId), WAIT);
                    assertThat(change.json().path("payload").path("maintenance").asBoolean()).isEqualTo(i % 2 == 0);
                    assertThat(Long.parseLong(change.id())).isGreaterThan(last);
                    last = Long.parseLong(change.id());
                }
            }
        } finally {
            for (SseConnection sse : streams) sse.close();
        }
    }

    @Test
    void lastEventIdResumesAfterThatEventAndWinsOverAfter() throws Exception {
        long before = events.lastSeq();
        JsonNode app = createApp(newUser());
        List<JsonNode> mine = events.forApp(before, java.util.UUID.fromString(app.path("id").asText()));
        long createdSeq = mine.get(0).path("seq").asLong();
        try (SseConnection sse = SseConnection.open(internalBaseUrl() + "/internal/events?after=0",
                Map.of("Authorization", "Bearer " + ROUTER_TOKEN, "Last-Event-ID", Long.toString(createdSeq)))) {
            SseConnection.Frame first = sse.next(WAIT);
            assertThat(Long.parseLong(first.id())).isEqualTo(createdSeq + 1);
            assertThat(first.event()).isEqualTo("domain.added");
        }
    }

    @Test
    void snapshotAgreesWithTheStream() {
        User alice = newUser();
        JsonNode app = createApp(alice);
        String name = app.path("name").asText();
        call("POST", "/apps/" + name + "/domains").as(alice)
                .json("{\"hostname\":\"snap-" + app.path("id").asText().substring(0, 8) + ".example.com\",\"sni_endpoint\":null}")
                .send().expect(201);
        call("PATCH", "/apps/" + name).as(alice).json("{\"maintenance\":true}").send().expect(200);

        JsonNode snapshot = internalGet("/internal/snapshot").expect(200).json();
        long seq = snapshot.path("seq").asLong();
        JsonNode state = snapshot.path("apps").findParents("name").stream()
                .filter(a -> a.path("id").asText().equals(app.path("id").asText())).findFirst().orElseThrow();
        assertThat(state.path("name").asText()).isEqualTo(name);
        assertThat(state.path("maintenance").asBoolean()).isTrue();
        assertThat(state.path("current_release").path("version").asInt()).isEqualTo(1);
        assertThat(state.path("current_release").path("id").asText()).hasSize(36);
        assertThat(state.path("current_release").has("slug_id")).isTrue();
        assertThat(state.path("formation").isArray()).isTrue();
        assertThat(state.path("domains").findValuesAsText("hostname"))
                .containsExactly(name + ".localhost", "snap-" + app.path("id").asText().substring(0, 8) + ".example.com");
        assertThat(state.path("domains").findValuesAsText("kind")).containsExactly("heroku", "custom");

        // everything about this app is at or before the snapshot's seq; nothing after it yet
        assertThat(internalGet("/internal/events?after=" + seq + "&wait=0").expect(200).json()).isEmpty();
        List<JsonNode> mine = events.forApp(0, java.util.UUID.fromString(app.path("id").asText()));
        assertThat(mine.get(mine.size() - 1).path("seq").asLong()).isEqualTo(seq);
    }
}

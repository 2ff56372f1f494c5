package io.slipway.api.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.formation.DefineProcessTypes;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.api.web.ComponentRole;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class LogsApiTest extends ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AppRepository apps;
    @Autowired
    DefineProcessTypes defineProcessTypes;

    record App(String name, UUID id) {}

    App newApp(User owner) {
        String name = uniqueAppName("logs");
        JsonNode app = call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201).json();
        return new App(name, UUID.fromString(app.path("id").asText()));
    }

    /** {@code [app_id, source, dyno, message]} or with a 5th element, the time. */
    void post(String... line) {
        postLines(List.of((Object) line));
    }

    void postLines(List<Object> lines) {
        ArrayNode array = JSON.createArrayNode();
        for (Object o : lines) {
            String[] l = (String[]) o;
            ObjectNode n = array.addObject().put("app_id", l[0]).put("source", l[1]).put("dyno", l[2]).put("message", l[3]);
            if (l.length > 4) n.put("time", l[4]);
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("lines", array);
        asComponent(ComponentRole.ROUTER, "POST", "/internal/logs").json(body.toString())
                .send().expect(204);
    }

    /** A log session's URL, pointed at this test server (logplex_url names the configured public origin). */
    String session(User user, App app, String body) {
        Response r = call("POST", "/apps/" + app.name() + "/log-sessions").as(user).json(body).send()
                .expect(201).matches("log-session");
        String url = r.json().path("logplex_url").asText();
        assertThat(url).startsWith("https://127.0.0.1:5443/log-stream/");
        return baseUrl() + url.substring("https://127.0.0.1:5443".length());
    }

    static List<String> data(LogEvents.Whole whole) {
        return whole.events().stream().map(LogEvents.Event::data).toList();
    }

    static List<String> messages(LogEvents.Whole whole) {
        return whole.events().stream().map(e -> e.data().substring(e.data().indexOf("]: ") + 3)).toList();
    }

    @Test
    void storesLinesAndServesTheBacklogAsHerokuRendersIt() throws Exception {
        User alice = newUser();
        App app = newApp(alice);
        String id = app.id().toString();
        postLines(List.of(
                new String[]{id, "app", "web.1", "hello", "2026-11-22T05:06:27.123456Z"},
                new String[]{id, "heroku", "router", "at=info method=GET path=\"/\"", "2026-11-22T05:06:28Z"},
                new String[]{UUID.randomUUID().toString(), "app", "web.1", "nobody's app"},
                new String[]{id, "app", "worker.1", "line one\nline two\n"}));

        LogEvents.Whole all = LogEvents.readAll(session(alice, app, "{\"lines\":100,\"tail\":false}"), Map.of());
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.contentType()).startsWith("text/event-stream");
        List<String> data = data(all);
        // the app's creation logged its first release, then the posted lines in order
        assertThat(data.get(0)).endsWith(" app[api]: Initial release by user " + alice.email());
        assertThat(data.get(1)).endsWith(" app[api]: Release v1 created by user " + alice.email());
        assertThat(data.subList(2, data.size())).containsExactly(
                "2026-11-22T05:06:27.123456+00:00 app[web.1]: hello",
                "2026-11-22T05:06:28.000000+00:00 heroku[router]: at=info method=GET path=\"/\"",
                data.get(4).substring(0, 32) + " app[worker.1]: line one\nline two");
        assertThat(data.get(4)).matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 app\\[worker\\.1]: .*");
        List<Long> ids = all.events().stream().map(LogEvents.Event::id).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM log_lines WHERE message = 'nobody''s app'", Long.class)).isZero();
    }

    @Test
    void filtersBySourceDynoAndProcessTypeAndLimitsLines() throws Exception {
        User alice = newUser();
        App app = newApp(alice);
        String id = app.id().toString();
        postLines(List.of(
                new String[]{id, "app", "web.1", "w1"},
                new String[]{id, "app", "web.2", "w2"},
                new String[]{id, "app", "webby.1", "not web"},
                new String[]{id, "heroku", "web.1", "State changed from starting to up"},
                new String[]{id, "app", "worker.1", "k1"},
                new String[]{id, "heroku", "router", "at=info"}));

        assertThat(messages(LogEvents.readAll(session(alice, app, "{\"dyno\":\"web\",\"source\":\"app\"}"), Map.of())))
                .containsExactly("w1", "w2");
        assertThat(messages(LogEvents.readAll(session(alice, app, "{\"dyno\":\"web.1\"}"), Map.of())))
                .containsExactly("w1", "State changed from starting to up");
        assertThat(messages(LogEvents.readAll(session(alice, app, "{\"source\":\"heroku\"}"), Map.of())))
                .containsExactly("State changed from starting to up", "at=info");
        assertThat(messages(LogEvents.readAll(session(alice, app, "{\"lines\":2}"), Map.of())))
                .containsExactly("k1", "at=info");
        // the schema's own names for the filters
        assertThat(messages(LogEvents.readAll(session(alice, app, "{\"type\":\"worker\"}"), Map.of())))
                .containsExactly("k1");
        call("POST", "/apps/" + app.name() + "/log-sessions").as(alice).json("{\"lines\":1501}").send()
                .expectError(422, "invalid_params");
        call("POST", "/apps/" + app.name() + "/log-sessions").as(alice).json("{\"source\":\"nope\"}").send()
                .expectError(422, "invalid_params");
    }

    @Test
    void tailSendsNewLinesAndResumesAfterLastEventId() throws Exception {
        User alice = newUser();
        App app = newApp(alice);
        String id = app.id().toString();
        post(id, "app", "web.1", "before");
        String url = session(alice, app, "{\"lines\":1,\"tail\":true,\"dyno\":\"web\"}");
        long firstId;
        try (LogEvents tail = LogEvents.open(url, Map.of())) {
            assertThat(tail.status()).isEqualTo(200);
            LogEvents.Event backlog = tail.next(WAIT);
            assertThat(backlog.data()).endsWith(" app[web.1]: before");
            post(id, "app", "worker.1", "filtered out");
            post(id, "app", "web.2", "after");
            LogEvents.Event live = tail.next(WAIT);
            assertThat(live.data()).endsWith(" app[web.2]: after");
            assertThat(live.id()).isGreaterThan(backlog.id());
            firstId = backlog.id();
        }
        post(id, "app", "web.1", "while away");
        // the CLI reconnects to the same URL with the last id it saw: no backlog again, just what came after
        try (LogEvents again = LogEvents.open(url, Map.of("Last-Event-ID", Long.toString(firstId)))) {
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.next(WAIT).data()).endsWith(" app[web.2]: after");
            assertThat(again.next(WAIT).data()).endsWith(" app[web.1]: while away");
        }
    }

    @Test
    void keepsTheNewest1500LinesPerApp() throws Exception {
        User alice = newUser();
        App app = newApp(alice);
        App other = newApp(alice);
        String id = app.id().toString();
        List<Object> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 1600; i++) lines.add(new String[]{id, "app", "web.1", "line " + i});
        postLines(lines);
        post(other.id().toString(), "app", "web.1", "other app");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM log_lines WHERE app_id = ?", Long.class, app.id()))
                .isEqualTo(1500);
        List<String> messages = messages(LogEvents.readAll(session(alice, app, "{\"lines\":1500}"), Map.of()));
        assertThat(messages).hasSize(1500);
        assertThat(messages.get(0)).isEqualTo("line 100");
        assertThat(messages.get(1499)).isEqualTo("line 1599");
        assertThat(messages(LogEvents.readAll(session(alice, other, "{\"source\":\"app\",\"dyno\":\"web\"}"), Map.of())))
                .containsExactly("other app");
    }

    @Test
    void logsWhatUsersDoToTheirApps() throws Exception {
        User alice = newUser();
        App app = newApp(alice);
        String by = " by user " + alice.email();
        call("PATCH", "/apps/" + app.name() + "/config-vars").as(alice).json("{\"FOO\":\"1\",\"BAR\":\"2\"}").send().expect(200);
        call("PATCH", "/apps/" + app.name() + "/config-vars").as(alice).json("{\"FOO\":null}").send().expect(200);
        call("POST", "/apps/" + app.name() + "/releases").as(alice).json("{\"release\":\"1\"}").send().expect(201);
        defineProcessTypes.define(apps.findByName(app.name()).orElseThrow(), Map.of("web", "npm start", "worker", "node w.js"));
        call("PATCH", "/apps/" + app.name() + "/formation").as(alice)
                .json("{\"updates\":[{\"type\":\"web\",\"quantity\":\"2\"}]}").send().expect(200);
        call("PATCH", "/apps/" + app.name()).as(alice).json("{\"maintenance\":true}").send().expect(200);
        call("PATCH", "/apps/" + app.name()).as(alice).json("{\"maintenance\":false}").send().expect(200);

        List<String> messages = messages(LogEvents.readAll(session(alice, app, "{\"dyno\":\"api\"}"), Map.of()));
        assertThat(messages).containsExactly(
                "Initial release" + by, "Release v1 created" + by,
                "Set FOO, BAR config vars" + by, "Release v2 created" + by,
                "Remove FOO config vars" + by, "Release v3 created" + by,
                "Rollback to v1" + by, "Release v4 created" + by,
                "Scaled to web@2:Basic worker@0:Basic" + by,
                "Enable Maintenance mode" + by, "Disable Maintenance mode" + by);
    }

    @Test
    void sessionsAreTheAppUsersOwnAndTokensExpire() throws Exception {
        User alice = newUser();
        User mallory = newUser();
        App app = newApp(alice);
        call("POST", "/apps/" + app.name() + "/log-sessions").as(mallory).json("{}").send().expectError(404, "not_found");
        call("POST", "/apps/" + app.id() + "/log-sessions").as(mallory).json("{}").send().expectError(404, "not_found");
        call("POST", "/apps/" + app.name() + "/log-sessions").json("{}").send().expect(401);

        String url = session(alice, app, "{\"tail\":false}");
        assertThat(LogEvents.readAll(url, Map.of()).status()).isEqualTo(200);
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(token).matches("[0-9a-f]{64}");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM log_sessions WHERE token_hash = ?", Long.class, token)).isZero();

        jdbc.update("UPDATE log_sessions SET expires_at = now() - interval '1 minute' WHERE token_hash = ?", LogSessions.hash(token));
        LogEvents.Whole expired = LogEvents.readAll(url, Map.of());
        assertThat(expired.status()).isEqualTo(404);
        assertThat(JSON.readTree(expired.body()).path("id").asText()).isEqualTo("not_found");
        LogEvents.Whole unknown = LogEvents.readAll(baseUrl() + "/log-stream/" + "0".repeat(64), Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("id").asText()).isEqualTo("not_found");
        assertThat(LogEvents.readAll(baseUrl() + "/log-stream/nope", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void ingestAndConfigChangesOfTheSameAppDoNotBlockEachOther() throws Exception {
        User alice = newUser();
        App app = newApp(alice);
        String id = app.id().toString();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 30; i++) post(id, "app", "web.1", "t" + thread + " line " + i);
                }));
            }
            work.add(pool.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    call("PATCH", "/apps/" + app.name() + "/config-vars").as(alice).json("{\"N\":\"" + i + "\"}")
                            .send().expect(200);
                }
            }));
            for (var f : work) f.get(120, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<String> messages = messages(LogEvents.readAll(session(alice, app, "{\"lines\":1500}"), Map.of()));
        assertThat(messages.stream().filter(m -> m.contains(" line "))).hasSize(60);
        assertThat(messages.stream().filter(m -> m.startsWith("Set N config vars"))).hasSize(15);
    }

    @Test
    void acceptsWhatTheSharedLogShipperSends() throws Exception {
        User alice = newUser();
        App app = newApp(alice);
        try (io.slipway.shared.logs.LogShipper shipper = new io.slipway.shared.logs.LogShipper(
                java.net.URI.create(internalBaseUrl()), token(ComponentRole.ROUTER), java.net.http.HttpClient.newHttpClient())) {
            shipper.ship(app.id(), "heroku", "web.1", "Starting process with command `npm start`");
            shipper.ship(app.id(), "app", "web.1", "listening on 5000",
                    java.time.Instant.parse("2026-11-22T05:06:27.123456Z"));
        } // close() flushes
        List<String> data = data(LogEvents.readAll(session(alice, app, "{\"dyno\":\"web.1\"}"), Map.of()));
        assertThat(data).hasSize(2);
        assertThat(data.get(0)).endsWith(" heroku[web.1]: Starting process with command `npm start`");
        assertThat(data.get(1)).isEqualTo("2026-11-22T05:06:27.123456+00:00 app[web.1]: listening on 5000");
    }

    @Test
    void internalLogsNeedTheInternalToken() {
        internalCall("POST", "/internal/logs").json("{\"lines\":[]}").send().expect(401);
        asComponent(ComponentRole.ROUTER, "POST", "/internal/logs").json("{}").send().expectError(422, "invalid_params");
        String agent = newAgentId();
        asAgent(agent, "POST", "/internal/logs").json("{}").send().expectError(422, "invalid_params");
        // neither a build-worker nor a git-gateway ships app logs
        asComponent(ComponentRole.BUILD_WORKER, "POST", "/internal/logs").json("{}").send().expectError(403, "forbidden");
        asComponent(ComponentRole.GIT_GATEWAY, "POST", "/internal/logs").json("{}").send().expectError(403, "forbidden");
    }
}

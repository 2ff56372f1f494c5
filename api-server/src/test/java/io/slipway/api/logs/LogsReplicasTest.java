package io.slipway.api.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Replica;
import io.slipway.api.web.ComponentRole;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Log sessions across two api-server replicas on one database: a session created on replica A (this
 * context) is read and tailed on replica B ({@link Replica#second()}), and a tail on either receives the lines
 * ingested through the other.
 */
@ExtendWith(Replica.StopSecond.class)
class LogsReplicasTest extends ApiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSessionMadeOnOneReplicaIsReadAndTailedOnAnother() throws Exception {
        Replica b = Replica.second();
        User alice = newUser();
        String name = uniqueAppName("logsr");
        JsonNode app = call("POST", "/apps").as(alice).json("{\"name\":\"" + name + "\"}").send().expect(201).json();
        String id = app.path("id").asText();
        post(b, id, "before"); // ingested by B

        String path = sessionPath(alice, name, "{\"lines\":10,\"tail\":true,\"dyno\":\"web.1\"}");
        try (LogEvents onB = LogEvents.open(b.baseUrl() + path, Map.of());
             LogEvents onA = LogEvents.open(baseUrl() + path, Map.of())) {
            assertThat(onB.status()).isEqualTo(200);
            assertThat(onA.status()).isEqualTo(200);
            assertThat(onB.next(WAIT).data()).endsWith(" app[web.1]: before");
            assertThat(onA.next(WAIT).data()).endsWith(" app[web.1]: before");
            post(b, id, "ingested on B");
            assertThat(onB.next(WAIT).data()).endsWith(" app[web.1]: ingested on B");
            assertThat(onA.next(WAIT).data()).endsWith(" app[web.1]: ingested on B");
            postOnA(id, "ingested on A");
            assertThat(onB.next(WAIT).data()).endsWith(" app[web.1]: ingested on A");
        }
        // a session without tail, made on A: B serves its backlog and ends
        String once = sessionPath(alice, name, "{\"lines\":3,\"dyno\":\"web.1\"}");
        LogEvents.Whole whole = LogEvents.readAll(b.baseUrl() + once, Map.of());
        assertThat(whole.events()).extracting(LogEvents.Event::data).hasSize(3)
                .allMatch(d -> d.contains("app[web.1]: "));
    }

    private String sessionPath(User user, String app, String body) {
        String url = call("POST", "/apps/" + app + "/log-sessions").as(user).json(body).send().expect(201)
                .json().path("logplex_url").asText();
        assertThat(url).startsWith("https://127.0.0.1:5443/log-stream/");
        return url.substring("https://127.0.0.1:5443".length());
    }

    private static String body(String appId, String message) {
        return "{\"lines\":[{\"app_id\":\"" + appId + "\",\"source\":\"app\",\"dyno\":\"web.1\",\"message\":\"" + message + "\"}]}";
    }

    private static void post(Replica replica, String appId, String message) {
        replica.asComponent(ComponentRole.ROUTER, "POST", "/internal/logs").json(body(appId, message)).send().expect(204);
    }

    private void postOnA(String appId, String message) {
        asComponent(ComponentRole.ROUTER, "POST", "/internal/logs").json(body(appId, message)).send().expect(204);
    }
}

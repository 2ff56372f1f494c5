package io.slipway.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.TestDeploys;
import io.slipway.api.web.ComponentRole;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * A hostile tenant with nothing but an API key tries to reach the internal API (issue 8, "Internal API apart").
 * Requests are written byte for byte on a socket, so the path arrives exactly as an attacker spells it (no client
 * normalises {@code /./} or {@code //}). Before this change the auth filters decided on the raw URI's prefix
 * while Spring matched the decoded, normalised path: {@code /%69nternal/snapshot} with a user's key listed
 * every app, and {@code /%69nternal/agents/<id>/assignments} handed out other tenants' config vars.
 */
class InternalApiApartTest extends ApiTest {
    private static final String SECRET = "alice-secret-" + UUID.randomUUID();

    @Autowired
    ApplicationContext context;
    @Autowired
    AccountRepository accounts;

    private User alice;
    private User mallory;
    private String app;
    private String agentA;

    @BeforeEach
    void aliceRunsADynoWithASecretOnAgentA() {
        alice = newUser();
        mallory = newUser();
        app = uniqueAppName("secret");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        call("PATCH", "/apps/" + app + "/config-vars").as(alice).json("{\"SECRET_TOKEN\":\"" + SECRET + "\"}").send()
                .expect(200);
        agentA = newAgentId();
        // far more room than any other test's agent: the scheduler places alice's dyno here
        asAgent(agentA, "POST", "/internal/agents").json("{\"agent_id\":\"" + agentA
                + "\",\"host\":\"127.0.0.1\",\"memory_mb\":100000000,\"dyno_slots\":1000}").send().expect(200);
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        TestDeploys.await("alice's web.1 on agent A", () -> assignmentsOfA().contains(SECRET));
    }

    private String assignmentsOfA() {
        return asAgent(agentA, "GET", "/internal/agents/" + agentA + "/assignments").send().expect(200).body();
    }

    /** Spellings of one internal path that a prefix check on the raw URI would not recognise. */
    private static List<String> spellings(String rest) {
        return List.of(
                "/internal/" + rest,
                "/%69nternal/" + rest,
                "/%69%6e%74%65%72%6e%61%6c/" + rest,
                "/internal;a=b/" + rest,
                "/internal/./" + rest,
                "/internal/x/../" + rest,
                "//internal/" + rest,
                "/INTERNAL/" + rest,
                "/internal%2F" + rest,
                "/internal/" + rest.replace("/", "%2F"),
                "/./internal/" + rest);
    }

    @Test
    void noSpellingOfAnInternalPathIsServedOnThePublicListener() throws IOException {
        String userKey = "Bearer " + mallory.apiKey();
        for (String rest : List.of("snapshot", "routes", "events?after=0&wait=0", "agents/" + agentA + "/assignments")) {
            for (String path : spellings(rest)) {
                Raw r = Raw.send(publicPort(), "GET", path, userKey, null);
                assertThat(r.status).as("GET %s with a user's key on the public listener: %s", path, r.body).isEqualTo(404);
                assertThat(r.body).as(path).doesNotContain(SECRET).doesNotContain(app).doesNotContain("\"seq\"");
            }
        }
        String victim = "victim-" + UUID.randomUUID() + "@example.com";
        for (String path : spellings("users")) {
            Raw r = Raw.send(publicPort(), "POST", path, userKey, "{\"email\":\"" + victim + "\",\"admin\":true}");
            assertThat(r.status).as("POST %s: %s", path, r.body).isEqualTo(404);
            assertThat(r.body).doesNotContain("api_key");
        }
        assertThat(accounts.findByEmail(victim)).as("no account was created through the public listener").isEmpty();
        for (String path : spellings("builds/claim")) {
            Raw r = Raw.send(publicPort(), "POST", path, userKey, "{\"worker_id\":\"mallory\"}");
            assertThat(r.status).as("POST %s: %s", path, r.body).isEqualTo(404);
        }
        for (String path : spellings("agents")) {
            Raw r = Raw.send(publicPort(), "POST", path, userKey,
                    "{\"agent_id\":\"mallory\",\"host\":\"127.0.0.1\",\"memory_mb\":1,\"dyno_slots\":1}");
            assertThat(r.status).as("POST %s: %s", path, r.body).isEqualTo(404);
        }
        for (String path : spellings("git/authorize")) {
            Raw r = Raw.send(publicPort(), "POST", path, userKey,
                    "{\"app\":\"" + app + "\",\"action\":\"push\",\"api_key\":\"" + mallory.apiKey() + "\"}");
            assertThat(r.status).as("POST %s: %s", path, r.body).isEqualTo(404);
            assertThat(r.body).doesNotContain("push_token\":\"");
        }
        // and the same answer as any unknown path, so nothing tells the internal API is there
        Raw unknown = Raw.send(publicPort(), "GET", "/no-such-endpoint", userKey, null);
        Raw internal = Raw.send(publicPort(), "GET", "/internal/snapshot", userKey, null);
        assertThat(internal.status).isEqualTo(unknown.status);
        assertThat(json(internal.body)).isEqualTo(json(unknown.body));
    }

    @Test
    void theInternalListenerServesNoPublicEndpointsAndRefusesUserKeys() throws IOException {
        String userKey = "Bearer " + alice.apiKey();
        for (String path : List.of("/internal/snapshot", "/internal/agents/" + agentA + "/assignments")) {
            Raw r = Raw.send(internalListener.localPort(), "GET", path, userKey, null);
            assertThat(r.status).as("GET %s with a user's key on the internal listener", path).isEqualTo(401);
            assertThat(r.body).doesNotContain(SECRET);
        }
        // the Platform API, the public streams and git are not on the internal listener, whatever the token
        String router = "Bearer " + token(ComponentRole.ROUTER);
        for (String path : List.of("/apps", "/apps/" + app + "/config-vars", "/account", "/health",
                "/log-stream/" + "0".repeat(64), "/" + app + ".git/info/refs?service=git-upload-pack")) {
            Raw r = Raw.send(internalListener.localPort(), "GET", path, router, null);
            assertThat(r.status).as("GET %s with a router token on the internal listener: %s", path, r.body).isEqualTo(404);
            assertThat(r.body).doesNotContain(SECRET);
        }
        // a user's own key on the internal listener is no key there, not even for the Platform API
        Raw own = Raw.send(internalListener.localPort(), "GET", "/apps/" + app + "/config-vars", userKey, null);
        assertThat(own.status).isEqualTo(401);
    }

    @Test
    void anAgentTokenActsForItsOwnAgentOnly() throws IOException {
        String agentB = newAgentId();
        asAgent(agentB, "POST", "/internal/agents").json("{\"agent_id\":\"" + agentB
                + "\",\"host\":\"127.0.0.1\",\"memory_mb\":512,\"dyno_slots\":1}").send().expect(200);
        String dyno = firstDynoOfA();

        // B reads A's assignments (config vars), however the id is spelled: refused on the decoded id
        for (String id : List.of(agentA, "%" + Integer.toHexString(agentA.charAt(0)) + agentA.substring(1))) {
            Raw r = Raw.send(internalListener.localPort(), "GET", "/internal/agents/" + id + "/assignments",
                    "Bearer " + agentToken(agentB), null);
            assertThat(r.status).as("agent B reading %s's assignments: %s", id, r.body).isEqualTo(403);
            assertThat(r.body).doesNotContain(SECRET);
        }
        // ...reports A's dyno crashed, heartbeats for A, or registers as A (to take over its dynos)
        asAgent(agentB, "POST", "/internal/agents/" + agentA + "/dynos/" + dyno + "/state")
                .json("{\"state\":\"crashed\",\"port\":null,\"exit_code\":1,\"message\":null}").send()
                .expectError(403, "forbidden");
        asAgent(agentB, "POST", "/internal/agents/" + agentA + "/heartbeat").json("{\"dynos\":[]}").send()
                .expectError(403, "forbidden");
        asAgent(agentB, "POST", "/internal/agents").json("{\"agent_id\":\"" + agentA
                + "\",\"host\":\"10.6.6.6\",\"memory_mb\":1,\"dyno_slots\":1}").send().expectError(403, "forbidden");
        asAgent(agentB, "POST", "/internal/agents").json("{\"agent_id\":\"" + newAgentId()
                + "\",\"host\":\"10.6.6.6\",\"memory_mb\":1,\"dyno_slots\":1}").send().expectError(403, "forbidden");
        // nothing changed for A
        assertThat(assignmentsOfA()).contains(SECRET).contains(dyno);
        // and an agent reads neither the whole platform's snapshot nor the routing table, nor builds
        asAgent(agentB, "GET", "/internal/snapshot").send().expectError(403, "forbidden");
        asAgent(agentB, "GET", "/internal/routes").send().expectError(403, "forbidden");
        asAgent(agentB, "POST", "/internal/builds/claim").json("{\"worker_id\":\"b\"}").send()
                .expectError(403, "forbidden");
        // no other role acts for an agent either
        for (ComponentRole role : List.of(ComponentRole.ROUTER, ComponentRole.BUILD_WORKER, ComponentRole.GIT_GATEWAY,
                ComponentRole.OPERATOR)) {
            Raw r = Raw.send(internalListener.localPort(), "GET", "/internal/agents/" + agentA + "/assignments",
                    "Bearer " + token(role), null);
            assertThat(r.status).as("%s reading assignments", role).isEqualTo(403);
            assertThat(r.body).doesNotContain(SECRET);
        }
    }

    @Test
    void eachComponentTokenReachesOnlyItsOwnEndpoints() {
        String email = "made-by-" + UUID.randomUUID() + "@example.com";
        String user = "{\"email\":\"" + email + "\"}";
        // a build-worker: builds only
        asComponent(ComponentRole.BUILD_WORKER, "GET", "/internal/snapshot").send().expectError(403, "forbidden");
        asComponent(ComponentRole.BUILD_WORKER, "GET", "/internal/events?after=0&wait=0").send()
                .expectError(403, "forbidden");
        asComponent(ComponentRole.BUILD_WORKER, "POST", "/internal/users").json(user).send().expectError(403, "forbidden");
        asComponent(ComponentRole.BUILD_WORKER, "GET", "/internal/routes").send().expectError(403, "forbidden");
        // a router: routes, events, snapshot, logs; never builds or users
        asComponent(ComponentRole.ROUTER, "POST", "/internal/builds/claim").json("{\"worker_id\":\"r\"}").send()
                .expectError(403, "forbidden");
        asComponent(ComponentRole.ROUTER, "POST", "/internal/users").json(user).send().expectError(403, "forbidden");
        asComponent(ComponentRole.ROUTER, "POST", "/internal/git/authorize").json("{}").send()
                .expectError(403, "forbidden");
        asComponent(ComponentRole.ROUTER, "GET", "/internal/snapshot").send().expect(200);
        asComponent(ComponentRole.ROUTER, "GET", "/internal/routes").send().expect(200);
        // a git-gateway: git access and keys only
        asComponent(ComponentRole.GIT_GATEWAY, "POST", "/internal/builds/claim").json("{\"worker_id\":\"g\"}").send()
                .expectError(403, "forbidden");
        asComponent(ComponentRole.GIT_GATEWAY, "GET", "/internal/snapshot").send().expectError(403, "forbidden");
        asComponent(ComponentRole.GIT_GATEWAY, "POST", "/internal/users").json(user).send().expectError(403, "forbidden");
        // the operator's token creates users and does nothing else
        asComponent(ComponentRole.OPERATOR, "GET", "/internal/snapshot").send().expectError(403, "forbidden");
        asComponent(ComponentRole.OPERATOR, "POST", "/internal/builds/claim").json("{\"worker_id\":\"o\"}").send()
                .expectError(403, "forbidden");
        assertThat(accounts.findByEmail(email)).isEmpty();
        asComponent(ComponentRole.OPERATOR, "POST", "/internal/users").json(user).send().expect(201);
    }

    private String firstDynoOfA() {
        JsonNode a = asAgent(agentA, "GET", "/internal/agents/" + agentA + "/assignments").send().expect(200).json();
        for (JsonNode d : a.path("dynos")) {
            if (d.path("app_name").asText().equals(app)) return d.path("dyno_id").asText();
        }
        throw new AssertionError("alice's dyno is not on agent A: " + a);
    }

    private int publicPort() {
        return Integer.parseInt(environment.getProperty("local.server.port"));
    }

    private static JsonNode json(String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** One HTTP/1.1 exchange on a socket, the request line sent exactly as given. */
    private record Raw(int status, String body) {
        static Raw send(int port, String method, String path, String authorization, String json) throws IOException {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(30_000);
                byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
                StringBuilder head = new StringBuilder()
                        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                        .append("Host: 127.0.0.1:").append(port).append("\r\n")
                        .append("Accept: application/vnd.heroku+json; version=3\r\n")
                        .append("Authorization: ").append(authorization).append("\r\n")
                        .append("Connection: close\r\n");
                if (json != null) head.append("Content-Type: application/json\r\n");
                head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
                OutputStream out = s.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                in.transferTo(all);
                String text = all.toString(StandardCharsets.UTF_8);
                int status = Integer.parseInt(text.substring(9, 12));
                int split = text.indexOf("\r\n\r\n");
                String rest = split < 0 ? "" : text.substring(split + 4);
                return new Raw(status, text.contains("Transfer-Encoding: chunked") ? unchunk(rest) : rest);
            }
        }

        private static String unchunk(String chunked) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < chunked.length()) {
                int eol = chunked.indexOf("\r\n", i);
                if (eol < 0) break;
                int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
                if (size == 0) break;
                out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
                i = eol + 2 + size + 2;
            }
            return out.toString();
        }
    }
}

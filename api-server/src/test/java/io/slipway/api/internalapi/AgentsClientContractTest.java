package io.slipway.api.internalapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slipway.api.support.FakeAgent;
import io.slipway.api.support.StorageApiTest;
import io.slipway.api.support.TestDeploys;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.agents.Assignment;
import io.slipway.shared.dynos.DynoState;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dyno-agent's typed client ({@link AgentsClient}) against the real api-server: what the server answers parses
 * into the client's records, and what it refuses surfaces as {@link InternalApiException} with the Heroku id.
 */
class AgentsClientContractTest extends StorageApiTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    @BeforeEach
    void noOtherRuntime() {
        FakeAgent.clearRuntime(jdbc); // placement is global: this test's dyno must come to this test's agent
    }

    private AgentsClient agent(String agentId, String token) {
        return new AgentsClient(new InternalTransport(URI.create(internalBaseUrl()), token, CLIENT), agentId);
    }

    @Test
    void registersReadsItsAssignmentsAndReportsStates() throws Exception {
        String id = newAgentId();
        AgentsClient agent = agent(id, agentToken(id));
        AgentsClient.Registration registration = agent.register("127.0.0.1", 4096, 32);
        assertThat(registration.heartbeatSeconds()).isPositive();
        assertThat(registration.lostAfterSeconds()).isGreaterThan(registration.heartbeatSeconds());
        agent.heartbeat(Map.of());

        User alice = newUser();
        String app = createApp(alice, "contract");
        UUID release = TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        AtomicReference<AgentsClient.Assignments> seen = new AtomicReference<>();
        TestDeploys.await("web.1 of " + app + " assigned", () -> {
            try {
                seen.set(agent.assignments());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return seen.get().dynos().stream().anyMatch(d -> d.appName().equals(app));
        });
        assertThat(seen.get().seq()).isPositive();
        Assignment web = seen.get().dynos().stream().filter(d -> d.appName().equals(app)).findFirst().orElseThrow();
        assertThat(web.name()).isEqualTo("web.1");
        assertThat(web.type()).isEqualTo("web");
        assertThat(web.command()).isEqualTo("npm start");
        assertThat(web.releaseId()).isEqualTo(release.toString());
        assertThat(web.slug().checksum()).isEqualTo(TestDeploys.CHECKSUM);
        assertThat(web.wantsUp()).isTrue();

        agent.reportState(web.dynoId(), DynoState.STARTING, null, null, null);
        agent.reportState(web.dynoId(), DynoState.UP, 40123, null, null);
        agent.heartbeat(Map.of(web.dynoId(), DynoState.UP));
        assertThat(asComponent(ComponentRole.ROUTER, "GET", "/internal/routes/" + web.appId()).send().expect(200)
                .json().path("web_state").asText()).isEqualTo("up");
        assertThat(agent.volumeExists(UUID.randomUUID().toString())).isFalse();

        // another agent reporting on this agent's dyno: the dyno is not its to know about
        String otherId = newAgentId();
        AgentsClient other = agent(otherId, agentToken(otherId));
        other.register("127.0.0.2", 4096, 32);
        InternalApiException notYours = assertThrows(InternalApiException.class,
                () -> other.reportState(web.dynoId(), DynoState.CRASHED, null, 1, null));
        assertThat(notYours.status()).isEqualTo(404);
        assertThat(notYours.id()).isEqualTo("not_found");
        assertThat(notYours.notFound()).isTrue();
    }

    @Test
    void refusalsSurfaceAsTheOneErrorType() throws Exception {
        String id = newAgentId();
        InternalApiException wrongToken = assertThrows(InternalApiException.class,
                () -> agent(id, "not-a-token").register("127.0.0.1", 4096, 32));
        assertThat(wrongToken.status()).isEqualTo(401);
        assertThat(wrongToken.id()).isEqualTo("unauthorized");

        // a token of another component is not an agent's
        InternalApiException router = assertThrows(InternalApiException.class,
                () -> agent(id, token(ComponentRole.ROUTER)).register("127.0.0.1", 4096, 32));
        assertThat(router.status()).isEqualTo(403);
        assertThat(router.id()).isEqualTo("forbidden");

        // not registered yet: the agent's own calls answer 404, which the agent takes as "register again"
        AgentsClient agent = agent(id, agentToken(id));
        InternalApiException unknown = assertThrows(InternalApiException.class, () -> agent.heartbeat(Map.of()));
        assertThat(unknown.notFound()).isTrue();
        assertThat(unknown.id()).isEqualTo("not_found");

        InternalApiException badBody = assertThrows(InternalApiException.class, () -> agent.register("", 4096, 32));
        assertThat(badBody.status()).isEqualTo(422);
        assertThat(badBody.id()).isEqualTo("invalid_params");

        agent.register("127.0.0.1", 4096, 32);
        InternalApiException noSuchDyno = assertThrows(InternalApiException.class,
                () -> agent.reportState(UUID.randomUUID().toString(), DynoState.UP, 1, null, null));
        assertThat(noSuchDyno.notFound()).isTrue();

        // one agent's token names only that agent: another agent's assignments are not readable with it
        String otherId = newAgentId();
        agent(otherId, agentToken(otherId)).register("127.0.0.2", 4096, 32);
        InternalApiException foreign = assertThrows(InternalApiException.class,
                () -> agent(otherId, agentToken(id)).assignments());
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.id()).isEqualTo("forbidden");
    }
}

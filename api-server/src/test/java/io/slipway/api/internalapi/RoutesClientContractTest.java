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
import io.slipway.shared.routes.Route;
import io.slipway.shared.routes.RoutesClient;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The router's routes client ({@link RoutesClient}) against the real api-server: the table and one app's routes
 * (with an up web dyno) parse into {@link Route}; a gone app is null; refusals surface as
 * {@link InternalApiException} with the Heroku id.
 */
class RoutesClientContractTest extends StorageApiTest {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    @BeforeEach
    void noOtherRuntime() {
        FakeAgent.clearRuntime(jdbc); // placement is global: this test's dyno must come to this test's agent
    }

    private RoutesClient client(String token) {
        return new RoutesClient(new InternalTransport(URI.create(internalBaseUrl()), token, HTTP));
    }

    @Test
    void theTableAndOneAppsRoutesWithItsUpWebDyno() throws Exception {
        String agentId = newAgentId();
        AgentsClient agent = new AgentsClient(new InternalTransport(URI.create(internalBaseUrl()),
                agentToken(agentId), HTTP), agentId);
        agent.register("127.0.0.1", 4096, 32);
        User alice = newUser();
        String app = createApp(alice, "routes");
        UUID appId = UUID.fromString(app(alice, app).path("id").asText());
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        AtomicReference<Assignment> web = new AtomicReference<>();
        TestDeploys.await("web.1 of " + app + " assigned", () -> {
            try {
                agent.assignments().dynos().stream().filter(d -> d.appName().equals(app)).findFirst().ifPresent(web::set);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return web.get() != null;
        });
        agent.reportState(web.get().dynoId(), DynoState.UP, 40123, null, null);

        RoutesClient router = client(token(ComponentRole.ROUTER));
        Route route = router.one(appId);
        assertThat(route.appId()).isEqualTo(appId);
        assertThat(route.appName()).isEqualTo(app);
        assertThat(route.hostnames()).isNotEmpty().allMatch(h -> h.equals(h.toLowerCase()));
        assertThat(route.maintenance()).isFalse();
        assertThat(route.webState()).isEqualTo("up");
        assertThat(route.webDynos()).singleElement().satisfies(d -> {
            assertThat(d.dynoId()).isEqualTo(web.get().dynoId());
            assertThat(d.name()).isEqualTo("web.1");
            assertThat(d.host()).isEqualTo("127.0.0.1");
            assertThat(d.port()).isEqualTo(40123);
        });

        RoutesClient.Table table = router.all();
        assertThat(table.seq()).isPositive();
        assertThat(table.apps()).extracting(Route::appId).contains(appId);

        assertThat(router.one(UUID.randomUUID())).isNull(); // a gone app
    }

    @Test
    void refusalsSurfaceAsTheOneErrorType() {
        expectError(401, "unauthorized", () -> client("not-a-token").all());
        expectError(401, "unauthorized", () -> client("not-a-token").one(UUID.randomUUID()));
        // the routes name every app's dynos: a build-worker or an agent may not read them
        expectError(403, "forbidden", () -> client(token(ComponentRole.BUILD_WORKER)).all());
        String agentId = newAgentId();
        expectError(403, "forbidden", () -> client(agentToken(agentId)).all());
    }

    private static void expectError(int status, String id, Executable call) {
        InternalApiException e = assertThrows(InternalApiException.class, call);
        assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
        assertThat(e.id()).as(e.getMessage()).isEqualTo(id);
    }
}

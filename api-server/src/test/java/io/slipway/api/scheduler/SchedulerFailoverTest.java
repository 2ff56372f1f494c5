package io.slipway.api.scheduler;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.FakeAgent;
import io.slipway.api.support.OpenTransaction;
import io.slipway.api.support.Replica;
import io.slipway.api.support.Response;
import io.slipway.api.support.TestDeploys;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Scheduling has no leader and no lease: every replica runs {@link SchedulerLoop} and their passes take turns on
 * a transaction-scoped advisory lock ({@link SchedulerLock}). So when a replica dies in the middle of a pass (its
 * JVM gone, PostgreSQL ends its sessions and with them its transaction and lock), the surviving replica
 * (this context) goes on at once: here replica B holds the lock, a scale-up waits behind it, B's sessions are
 * ended as a dead JVM's are, and the survivor places the new dyno.
 */
class SchedulerFailoverTest extends ApiTest {
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aReplicaDyingMidPassDoesNotHoldSchedulingUp() throws Exception {
        String session = "slipway-replica-" + UUID.randomUUID().toString().substring(0, 8);
        try (Replica b = Replica.start("--spring.datasource.hikari.data-source-properties.ApplicationName=" + session)) {
            FakeAgent agent = FakeAgent.registerAlone(this, jdbc);
            User alice = newUser();
            String app = uniqueAppName("failover");
            call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
            TestDeploys.deploy(context, app, Map.of("web", "npm start"));
            call("PATCH", "/apps/" + app + "/formation/web").as(alice).json("{\"quantity\":1}").send().expect(200);
            agent.awaitAssignment(app, "web.1");

            // B in the middle of a scheduling pass: its own loop stopped (it is about to die), the lock held
            b.context().getBean(SchedulerLoop.class).stop();
            try (OpenTransaction pass = OpenTransaction.start(b.context().getBean(PlatformTransactionManager.class),
                    "replica-b-pass", b.context().getBean(SchedulerLock.class)::hold)) {
                CompletableFuture<Response> scale = CompletableFuture.supplyAsync(() -> call("PATCH",
                        "/apps/" + app + "/formation/web").as(alice).json("{\"quantity\":2}").send());
                // B's JVM dies: PostgreSQL ends its sessions, which rolls its transaction back and frees the lock
                long died = System.nanoTime();
                Integer ended = jdbc.queryForObject("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE application_name = ?", Integer.class, session);
                assertThat(ended).isPositive();
                agent.awaitAssignment(app, "web.2");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - died);
                System.out.println("[SchedulerFailoverTest] new dyno placed " + millis + " ms after replica B's sessions ended");
                assertThat(scale.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        }
    }
}

package io.slipway.api.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.TestDeploys;
import io.slipway.api.support.ApiTest.User;
import io.slipway.api.support.OpenTransaction;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * An app with nothing to run (no dyno, no process type scaled above zero) is reconciled without the scheduler
 * lock, so a config change of such an app never queues behind scheduling; an app with dynos still takes the lock.
 * Here another transaction holds the lock while each app is reconciled.
 */
class ScheduleAppTest extends ApiTest {
    @Autowired
    ApplicationContext context;
    @Autowired
    ScheduleApp scheduleApp;
    @Autowired
    SchedulerLock lock;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAppWithNothingToRunIsReconciledWithoutWaitingForTheSchedulerLock() throws Exception {
        User alice = newUser();
        String idle = uniqueAppName("idle");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + idle + "\"}").send().expect(201);
        String busy = uniqueAppName("busy");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + busy + "\"}").send().expect(201);
        TestDeploys.deploy(context, busy, Map.of("web", "npm start"));
        call("PATCH", "/apps/" + busy + "/formation/web").as(alice).json("{\"quantity\":1}").send().expect(200);

        try (OpenTransaction holder = OpenTransaction.start(transactions, "scheduler-lock-holder", lock::hold)) {
            CompletableFuture.runAsync(() -> scheduleApp.reconcile(appId(idle))).get(30, TimeUnit.SECONDS);

            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> scheduleApp.reconcile(appId(busy)));
            assertThatThrownBy(() -> waiting.get(2, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            holder.close();
            waiting.get(30, TimeUnit.SECONDS);
        }
    }

    private UUID appId(String name) {
        return jdbc.queryForObject("SELECT id FROM apps WHERE name = ?", UUID.class, name);
    }
}

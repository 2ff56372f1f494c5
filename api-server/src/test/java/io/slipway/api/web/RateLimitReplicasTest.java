package io.slipway.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Replica;
import io.slipway.api.support.Response;
import io.slipway.api.support.TestDeploys;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The API rate limit is one bucket per account across every api-server replica: calls spread over two
 * replicas (this context and {@link Replica#second()}) on one PostgreSQL are refused once the account's
 * limit (1,000 an hour in the tests) is spent in total, not once per replica, although each replica spends
 * tokens it leased from the shared bucket in memory.
 */
@ExtendWith(Replica.StopSecond.class)
class RateLimitReplicasTest extends ApiTest {
    private static final int LIMIT = 1000;

    @Test
    void callsSpreadOverTwoReplicasShareOneBucket() {
        Replica b = Replica.second();
        User alice = newUser();
        // each replica sees what the other took
        long onA = remaining(call("GET", "/account").as(alice).send().expect(200));
        long onB = remaining(b.call("GET", "/account").as(alice).send().expect(200));
        assertThat(onA).isEqualTo(LIMIT - 1);
        assertThat(onB).isEqualTo(LIMIT - 2);

        long started = System.nanoTime();
        int accepted = 2;
        boolean refusedOnA = false;
        boolean refusedOnB = false;
        // alternate until both replicas refused; a per-replica bucket would accept about twice the limit
        for (int i = 0; i < 3 * LIMIT && !(refusedOnA && refusedOnB); i++) {
            boolean toA = i % 2 == 0;
            Response r = (toA ? call("GET", "/account") : b.call("GET", "/account")).as(alice).send();
            if (r.status() == 200) {
                accepted++;
                continue;
            }
            r.expectError(429, "rate_limit");
            assertThat(r.header("RateLimit-Remaining")).isEqualTo("0");
            if (toA) refusedOnA = true;
            else refusedOnB = true;
        }
        double hours = (System.nanoTime() - started) / 3.6e12;
        long refilled = (long) Math.ceil(hours * LIMIT); // the bucket refills continuously while the test runs
        assertThat(refusedOnA && refusedOnB).as("both replicas refuse").isTrue();
        assertThat(accepted).isBetween(LIMIT, LIMIT + (int) refilled + 1);
        // another account is not affected, on either replica
        User bob = newUser();
        b.call("GET", "/account").as(bob).send().expect(200);
        call("GET", "/account").as(bob).send().expect(200);
        System.out.printf("[RateLimitReplicasTest] %d calls over two replicas: %.2f ms per call (HTTP included)%n",
                accepted + 2, (System.nanoTime() - started) / 1e6 / (accepted + 2));
    }

    @Autowired
    RateLimiter limiter;
    @Autowired
    JdbcTemplate jdbc;

    /**
     * A replica spends tokens it leased from the shared row in memory; what it leased and did not spend goes
     * back once it stops calling, so the other replica can spend the whole rest of the budget, and no more.
     */
    @Test
    void tokensLeasedByAnIdleReplicaGoBackToTheOthers() {
        Replica b = Replica.second();
        User alice = newUser();
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) assertThat(limiter.take(alice.id())).isGreaterThanOrEqualTo(0);
        // this replica leased more than it spent (leases grow while an account keeps calling) ...
        assertThat(level(alice)).isLessThan(LIMIT - 100);
        // ... and gives the rest back once the account has been idle here for a second
        TestDeploys.await("the idle lease given back", () -> level(alice) >= LIMIT - 100);
        int acceptedOnB = 0;
        for (int i = 0; i < 2 * LIMIT; i++) {
            Response r = b.call("GET", "/account").as(alice).send();
            if (r.status() == 429) break;
            r.expect(200);
            acceptedOnB++;
        }
        double hours = (System.nanoTime() - started) / 3.6e12;
        long refilled = (long) Math.ceil(hours * LIMIT);
        assertThat(acceptedOnB).isBetween(LIMIT - 100, LIMIT - 100 + (int) refilled + 1);
    }

    private double level(User user) {
        return jdbc.queryForObject("SELECT tokens FROM rate_limit_buckets WHERE account_id = ?", Double.class, user.id());
    }

    /** What the shared bucket costs a request: the one statement, measured (not asserted) for docs/benchmarks.md. */
    @Test
    void measuresTheCostOfTakingAToken() {
        UUID account = newUser().id();
        long[] nanos = new long[2000];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            assertThat(limiter.take(account)).isGreaterThanOrEqualTo(-1);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf("[RateLimitReplicasTest] take(): p50 %.3f ms, p99 %.3f ms, max %.3f ms over %d%n",
                nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 99 / 100] / 1e6, nanos[nanos.length - 1] / 1e6,
                nanos.length);
    }

    private static long remaining(Response r) {
        return Long.parseLong(r.header("RateLimit-Remaining"));
    }
}

package io.slipway.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AdmissionFilterTest {
    /** A request whose handler runs until {@code done} opens, and says when it started. */
    private static Thread request(AdmissionFilter filter, CountDownLatch started, CountDownLatch done) {
        Thread t = new Thread(() -> {
            try {
                filter.doFilter(new MockHttpServletRequest("GET", "/apps"), new MockHttpServletResponse(), (req, res) -> {
                    started.countDown();
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        return t;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(end);
            Thread.sleep(5);
        }
    }

    @Test
    void runsAtMostItsSizeAtOnceAndTheNextWhenOneEnds() throws Exception {
        AdmissionFilter filter = new AdmissionFilter(2, Duration.ofSeconds(30).toNanos(), request -> false);
        CountDownLatch firstTwo = new CountDownLatch(2);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch releaseRest = new CountDownLatch(1);
        Thread a = request(filter, firstTwo, releaseFirst);
        Thread b = request(filter, firstTwo, releaseRest);
        assertThat(firstTwo.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch third = new CountDownLatch(1);
        Thread c = request(filter, third, releaseRest);
        waitFor(() -> filter.waiting() == 1);
        assertThat(third.getCount()).as("the third waits while two run").isEqualTo(1);
        assertThat(filter.running()).isEqualTo(2);

        releaseFirst.countDown();
        assertThat(third.await(10, TimeUnit.SECONDS)).as("the third runs once one has ended").isTrue();
        a.join(10_000);
        assertThat(filter.running()).isEqualTo(2);
        releaseRest.countDown();
        b.join(10_000);
        c.join(10_000);
        assertThat(filter.running()).isZero();
    }

    /** Turns held by slow (or hostile) requests delay the others by the bounded wait, never longer. */
    @Test
    void aRequestRunsWithoutATurnOnceItHasWaitedTheLimit() throws Exception {
        AdmissionFilter filter = new AdmissionFilter(1, Duration.ofMillis(200).toNanos(), request -> false);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch neverBeforeTheEnd = new CountDownLatch(1);
        Thread slow = request(filter, holding, neverBeforeTheEnd);
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        CountDownLatch ran = new CountDownLatch(1);
        long start = System.nanoTime();
        Thread next = request(filter, ran, new CountDownLatch(0));
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("runs while the slow one still holds the only turn").isTrue();
        assertThat(System.nanoTime() - start).as("after waiting its turn first").isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
        next.join(10_000);
        assertThat(filter.running()).as("the turn is still the slow request's").isEqualTo(1);
        neverBeforeTheEnd.countDown();
        slow.join(10_000);
        assertThat(filter.running()).isZero();
    }
}

package io.slipway.api.web;

import io.slipway.api.ApiServerConfig;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a few public API requests run at once (four per processor by default) and queues the others, first come
 * first served, instead of letting Tomcat's 200 threads all run together.
 *
 * <p>Why: with 50 busy clients on two cores, 50 request threads shared the CPU with PostgreSQL's backends and
 * every request was stretched by all the others (and held its database locks longer). With 8 running at a time the
 * same load got 5,300-5,800 reads/s at a p99 of 22-26 ms, against 5,100 at 39 ms
 * (docs/benchmarks.md, session 16).
 *
 * <p>Why the wait is bounded: a turn is held for as long as its request runs, and a hostile client can make that
 * long (a body sent a byte at a time, a response never read). So no request waits more than
 * {@code admissionWait} (1 s): it then runs without a turn. A few slow connections can cost the others that
 * second, never their service. The internal API (the platform's own components) never waits here.
 */
@Component
@Order(6) // after the git front door, which streams pushes for minutes; before anything reads a body
public class AdmissionFilter extends OncePerRequestFilter {
    private final Semaphore turns;
    private final int size;
    private final long maxWaitNanos;
    /** Requests that never wait: those on the internal listener. */
    private final Predicate<HttpServletRequest> exempt;

    @Autowired
    public AdmissionFilter(ApiServerConfig config, InternalListener internalListener) {
        this(config.limits().concurrentRequests() > 0 ? config.limits().concurrentRequests()
                : 4 * Runtime.getRuntime().availableProcessors(), config.limits().admissionWait().toNanos(),
                internalListener::arrivedOn);
    }

    AdmissionFilter(int size, long maxWaitNanos, Predicate<HttpServletRequest> exempt) {
        this.size = size;
        this.turns = new Semaphore(size, true);
        this.maxWaitNanos = maxWaitNanos;
        this.exempt = exempt;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return exempt.test(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean turn;
        try {
            turn = turns.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a turn", e);
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (turn) turns.release();
        }
    }

    /** Requests running with a turn now (diagnostics, tests). */
    int running() {
        return size - turns.availablePermits();
    }

    /** Requests waiting for a turn now (diagnostics, tests). */
    int waiting() {
        return turns.getQueueLength();
    }
}

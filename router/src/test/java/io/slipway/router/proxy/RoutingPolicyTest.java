package io.slipway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.slipway.router.errors.HerokuError;
import io.slipway.router.routes.AppRoute;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The plain policy classes on their own: no channel, no socket, a clock moved by hand. */
class RoutingPolicyTest {
    private static final long S = 1_000_000_000L;
    private final MockTicker ticker = Ticker.newMockTicker();

    private Exchange exchange(String method) {
        return new Exchange(method, "/", "a.example", "id", "127.0.0.1", HttpVersion.HTTP_1_1, true, false,
                ticker.nanoTime());
    }

    @Test
    void firstByteDeadlineCountsFromTheRequestBeingSentUntilTheResponseStarts() {
        Exchange e = exchange("GET");
        assertEquals(Long.MAX_VALUE, e.firstByteLeft(ticker.nanoTime()), "not sent yet: nothing to wait for");
        e.markSent(ticker.nanoTime(), 30 * S);
        ticker.advance(29, TimeUnit.SECONDS);
        assertEquals(S, e.firstByteLeft(ticker.nanoTime()));
        ticker.advance(1, TimeUnit.SECONDS);
        assertTrue(e.firstByteLeft(ticker.nanoTime()) <= 0, "H12 due");
        e.responseStarted = true;
        assertEquals(Long.MAX_VALUE, e.firstByteLeft(ticker.nanoTime()));
    }

    @Test
    void aDynoClosingMeansResendThenH13ForASafeRequestAndH18WhileTheBodyIsGoingUp() {
        Exchange get = exchange("GET");
        get.pooled = true;
        get.requestDone = true;
        assertSame(UpstreamLoss.RESEND, UpstreamLoss.of(get));
        assertSame(UpstreamLoss.NO_RESPONSE, UpstreamLoss.of(get), "only one resend");
        assertEquals(HerokuError.H13, UpstreamLoss.NO_RESPONSE.error);

        Exchange post = exchange("POST");
        post.pooled = true;
        post.requestDone = true;
        assertSame(UpstreamLoss.NO_RESPONSE, UpstreamLoss.of(post), "a POST is never sent twice");

        Exchange upload = exchange("PUT");
        upload.pooled = true;
        upload.bodySent = true;
        assertSame(UpstreamLoss.INTERRUPTED, UpstreamLoss.of(upload));
        assertEquals(HerokuError.H18, UpstreamLoss.INTERRUPTED.error);

        Exchange fresh = exchange("GET");
        fresh.requestDone = true;
        assertSame(UpstreamLoss.NO_RESPONSE, UpstreamLoss.of(fresh), "a fresh connection is not stale: no resend");

        Exchange started = exchange("GET");
        started.responseStarted = true;
        assertSame(UpstreamLoss.CUT, UpstreamLoss.of(started));
    }

    @Test
    void theIdleWindowRollsWithActivityAndTellsPageFromCut() {
        IdleWindow w = new IdleWindow(55 * S, ticker.nanoTime());
        ticker.advance(54, TimeUnit.SECONDS);
        assertSame(IdleWindow.Verdict.KEEP, w.onClientSilent(null, ticker.nanoTime()));
        w.touch(ticker.nanoTime());
        ticker.advance(54, TimeUnit.SECONDS);
        assertSame(IdleWindow.Verdict.KEEP, w.onClientSilent(exchange("GET"), ticker.nanoTime()));
        ticker.advance(1, TimeUnit.SECONDS);
        assertSame(IdleWindow.Verdict.CLOSE, w.onClientSilent(null, ticker.nanoTime()));
        Exchange waiting = exchange("GET");
        assertSame(IdleWindow.Verdict.H15_PAGE, w.onClientSilent(waiting, ticker.nanoTime()));
        waiting.responseStarted = true;
        assertSame(IdleWindow.Verdict.H15_CUT, w.onClientSilent(waiting, ticker.nanoTime()));
        waiting.responseDone = true;
        assertSame(IdleWindow.Verdict.CLOSE, w.onClientSilent(waiting, ticker.nanoTime()));
        Exchange booting = exchange("GET");
        booting.waitingForBoot = true;
        assertSame(IdleWindow.Verdict.KEEP, w.onClientSilent(booting, ticker.nanoTime()),
                "waiting for a booting dyno is bounded by H20, not H15");
    }

    @Test
    void aFailedDynoIsSkippedForTheCooldownWhileOthersExistThenTriedAgain() {
        DynoChoice choice = new DynoChoice(new FailedDynos(Duration.ofSeconds(10), ticker));
        AppRoute app = EmbeddedRouter.app("two.example", "up", 5001, 5002);
        Exchange e = exchange("GET");
        e.route = app;
        assertEquals(5001, choice.next(e).port());
        assertNull(choice.connectFailed(e, false), "another dyno may take it");
        assertEquals(5002, choice.next(e).port());
        for (int i = 0; i < 4; i++) {
            Exchange n = exchange("GET");
            n.route = app;
            assertEquals(5002, choice.next(n).port(), "5001 skipped during its cooldown");
        }
        ticker.advance(10, TimeUnit.SECONDS);
        Exchange later = exchange("GET");
        later.route = app;
        int first = choice.next(later).port();
        Exchange after = exchange("GET");
        after.route = app;
        int second = choice.next(after).port();
        assertTrue(first == 5001 || second == 5001, "after the cooldown 5001 is in the rotation again");
    }

    @Test
    void everyDynoFailedIsH19WhenTheLastTimedOutElseH13() {
        DynoChoice choice = new DynoChoice(new FailedDynos(Duration.ofSeconds(10), ticker));
        Exchange e = exchange("GET");
        e.route = EmbeddedRouter.app("two.example", "up", 5001, 5002);
        choice.next(e);
        assertNull(choice.connectFailed(e, true));
        choice.next(e);
        assertEquals(HerokuError.H19, choice.connectFailed(e, true));
        Exchange r = exchange("GET");
        r.route = EmbeddedRouter.app("one.example", "up", 6001);
        choice.next(r);
        assertEquals(HerokuError.H13, choice.connectFailed(r, false));
    }
}

package io.slipway.router.proxy;

import io.slipway.router.errors.HerokuError;
import io.slipway.router.routes.WebDyno;

/**
 * Which dyno an exchange goes to, and what a failed connect means: round robin over the app's web dynos,
 * skipping the ones that just failed ({@link FailedDynos}); a refused or timed-out connect moves on to the next
 * dyno (nothing was sent yet), each dyno at most once per request, and when all failed Heroku's H19 (the last
 * one timed out) or H13 (refused).
 */
final class DynoChoice {
    private final FailedDynos failed;

    DynoChoice(FailedDynos failed) {
        this.failed = failed;
    }

    /** The dyno for the exchange's next connect attempt (counted). */
    WebDyno next(Exchange e) {
        WebDyno dyno = e.route.next(failed::avoid);
        e.dyno = dyno;
        e.connectAttempts++;
        return dyno;
    }

    void connected(WebDyno dyno) {
        failed.connected(dyno);
    }

    /** A connect to the exchange's dyno failed: null to try another dyno, else the error to answer. */
    HerokuError connectFailed(Exchange e, boolean timedOut) {
        failed.failed(e.dyno);
        if (e.connectAttempts < e.route.webDynos().size()) return null;
        return timedOut ? HerokuError.H19 : HerokuError.H13;
    }
}

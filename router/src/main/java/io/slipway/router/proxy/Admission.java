package io.slipway.router.proxy;

import io.slipway.shared.dynos.DynoState;
import io.slipway.router.errors.HerokuError;
import io.slipway.router.routes.AppRoute;
import io.slipway.router.routes.RouteTable;

/**
 * Heroku's routing policy for a request before any dyno is involved: which app it is for, whether that app may
 * take it now, and if not, which error the router answers itself. Plain logic, apart from {@link ClientHandler},
 * which only moves the bytes.
 */
final class Admission {
    enum Verdict {
        /** Go to one of {@code route}'s dynos. */
        PROXY,
        /** Every web dyno is still booting: wait for one, until {@code bootDeadlineNanos}, then H20. */
        WAIT,
        /** The router answers itself: the 404 page when {@code error} is null, else the error's page. */
        ANSWER,
        /** The app is https-only and this came in over plain HTTP: the router redirects to {@code redirectTo}. */
        REDIRECT
    }

    private final RouteTable table;
    private final long bootTimeoutNanos;
    private final HttpsRedirect redirects;

    /** @param bootTimeoutNanos how long a request may wait for a booting app (Heroku: 75 s); 0: H20 at once */
    Admission(RouteTable table, long bootTimeoutNanos) {
        this(table, bootTimeoutNanos, new HttpsRedirect());
    }

    Admission(RouteTable table, long bootTimeoutNanos, HttpsRedirect redirects) {
        this.table = table;
        this.bootTimeoutNanos = bootTimeoutNanos;
        this.redirects = redirects;
    }

    /** Decides for a new exchange, by its Host; sets its {@code route} and, when refused, its {@code error}. */
    Verdict admit(Exchange e, long nowNanos) {
        if (!table.loaded()) return answer(e, HerokuError.H99);
        AppRoute route = table.lookup(e.host);
        if (route == null) return answer(e, null);
        e.route = route;
        // before the app's state: a redirect involves no dyno, so it is the answer in maintenance or a crash too
        e.redirectTo = redirects.location(e, route);
        if (e.redirectTo != null) return Verdict.REDIRECT;
        HerokuError refusal = refusal(route);
        if (refusal == null) return Verdict.PROXY;
        if (refusal != HerokuError.H20 || bootTimeoutNanos <= 0) return answer(e, refusal);
        e.waitingForBoot = true;
        e.bootDeadlineNanos = nowNanos + bootTimeoutNanos;
        return Verdict.WAIT;
    }

    /**
     * For an exchange waiting for a booting app: the app's current route decides. A dyno is up: go; still
     * booting: wait on until the deadline, then H20; the app changed otherwise meanwhile (crashed, scaled to
     * zero, maintenance, deleted): that answer.
     */
    Verdict recheck(Exchange e, long nowNanos) {
        AppRoute route = table.lookup(e.host);
        if (route == null) return answer(e, null);
        e.route = route;
        HerokuError refusal = refusal(route);
        if (refusal == HerokuError.H20 && nowNanos - e.bootDeadlineNanos < 0) return Verdict.WAIT;
        e.waitingForBoot = false;
        return refusal == null ? Verdict.PROXY : answer(e, refusal);
    }

    private static Verdict answer(Exchange e, HerokuError error) {
        e.error = error;
        return Verdict.ANSWER;
    }

    /** Why the app cannot take requests right now, by Heroku's codes; null when it can. */
    static HerokuError refusal(AppRoute route) {
        if (route.maintenance()) return HerokuError.H80;
        if (!route.webDynos().isEmpty()) return null;
        // web_state is a dyno state's wire name, or "none" (no web dynos at all): H14 then, as for any other
        DynoState state = DynoState.fromWire(route.webState()).orElse(null);
        if (state == DynoState.CRASHED) return HerokuError.H10;
        if (state == DynoState.STARTING) return HerokuError.H20;
        return HerokuError.H14;
    }
}

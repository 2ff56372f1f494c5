package io.slipway.router.proxy;

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
        /** The router answers itself: the 404 page when {@code error} is null, else the error's page. */
        ANSWER
    }

    private final RouteTable table;

    Admission(RouteTable table) {
        this.table = table;
    }

    /** Decides for a new exchange, by its Host; sets its {@code route} and, when refused, its {@code error}. */
    Verdict admit(Exchange e) {
        if (!table.loaded()) return answer(e, HerokuError.H99);
        AppRoute route = table.lookup(e.host);
        if (route == null) return answer(e, null);
        e.route = route;
        HerokuError refusal = refusal(route);
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
        switch (route.webState()) {
            case "crashed":
                return HerokuError.H10;
            case "starting":
                return HerokuError.H20;
            default:
                return HerokuError.H14;
        }
    }
}

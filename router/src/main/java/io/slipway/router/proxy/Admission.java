package io.slipway.router.proxy;

import io.slipway.router.errors.HerokuError;
import io.slipway.router.routes.AppRoute;

/**
 * Heroku's routing policy for a request that found its app: whether it may go to a dyno, and if not, which
 * error the router answers itself. Plain logic, apart from {@link ClientHandler}, which only moves the bytes.
 */
final class Admission {
    private Admission() {}

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

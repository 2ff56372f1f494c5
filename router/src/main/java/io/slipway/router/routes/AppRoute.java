package io.slipway.router.routes;

import io.slipway.shared.routes.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One app's routing, as {@code GET /internal/routes[/{app_id}]} describes it (the R object of the contract).
 * Immutable except for the round-robin cursor.
 */
public final class AppRoute {
    private final UUID appId;
    private final String appName;
    private final List<String> hostnames;
    private final boolean maintenance;
    private final String webState;
    private final List<WebDyno> webDynos;
    private final boolean httpsOnly;
    private final AtomicInteger cursor = new AtomicInteger();

    public AppRoute(UUID appId, String appName, List<String> hostnames, boolean maintenance, String webState,
                    List<WebDyno> webDynos) {
        this(appId, appName, hostnames, maintenance, webState, webDynos, false);
    }

    public AppRoute(UUID appId, String appName, List<String> hostnames, boolean maintenance, String webState,
                    List<WebDyno> webDynos, boolean httpsOnly) {
        this.appId = appId;
        this.appName = appName;
        this.hostnames = List.copyOf(hostnames);
        this.maintenance = maintenance;
        this.webState = webState == null ? "none" : webState;
        this.webDynos = List.copyOf(webDynos);
        this.httpsOnly = httpsOnly;
    }

    /** The contract's R object, as the shared routes client read it. */
    public static AppRoute of(Route r) {
        List<WebDyno> dynos = new ArrayList<>();
        for (Route.WebDyno d : r.webDynos()) dynos.add(new WebDyno(d.dynoId(), d.name(), d.host(), d.port()));
        return new AppRoute(r.appId(), r.appName(), r.hostnames(), r.maintenance(), r.webState(), dynos,
                r.httpsOnly());
    }

    public UUID appId() {
        return appId;
    }

    public String appName() {
        return appName;
    }

    public List<String> hostnames() {
        return hostnames;
    }

    public boolean maintenance() {
        return maintenance;
    }

    /** up | starting | crashed | none. */
    public String webState() {
        return webState;
    }

    /** The app's {@code https-only} lab feature: plain HTTP requests are redirected to HTTPS (HttpsRedirect). */
    public boolean httpsOnly() {
        return httpsOnly;
    }

    public List<WebDyno> webDynos() {
        return webDynos;
    }

    /** The next dyno in round-robin order, or null when there is none. */
    public WebDyno next() {
        int n = webDynos.size();
        if (n == 0) return null;
        return webDynos.get(Math.floorMod(cursor.getAndIncrement(), n));
    }

    /** The next dyno in round-robin order that is not to be avoided; when every one is, the next one anyway. */
    public WebDyno next(java.util.function.Predicate<WebDyno> avoid) {
        int n = webDynos.size();
        if (n == 0) return null;
        int start = cursor.getAndIncrement();
        for (int i = 0; i < n; i++) {
            WebDyno d = webDynos.get(Math.floorMod(start + i, n));
            if (!avoid.test(d)) {
                if (i > 0) cursor.addAndGet(i); // keep the rotation moving past the skipped ones
                return d;
            }
        }
        return webDynos.get(Math.floorMod(start, n));
    }
}

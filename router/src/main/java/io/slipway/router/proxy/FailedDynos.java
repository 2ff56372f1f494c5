package io.slipway.router.proxy;

import io.netty.util.concurrent.Ticker;
import io.slipway.router.routes.WebDyno;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dynos a connection to just failed (refused, timed out): skipped for {@code cooldown} while the app has others.
 * When a host dies its dynos stay in the route table until the api-server marks the agent lost (seconds later);
 * without this, every request would try a dead dyno first, and with a host that drops packets each would wait
 * the connect timeout. After the cooldown one request tries the dyno again (and goes elsewhere if it still fails).
 * Shared by every event loop, hence the concurrent map; the ticker is injectable so tests move time themselves.
 */
final class FailedDynos {
    private final long cooldownNanos;
    private final Ticker ticker;
    private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();

    FailedDynos(java.time.Duration cooldown, Ticker ticker) {
        this.cooldownNanos = cooldown.toNanos();
        this.ticker = ticker;
    }

    void failed(WebDyno dyno) {
        until.put(dyno.address(), ticker.nanoTime() + cooldownNanos);
    }

    void connected(WebDyno dyno) {
        if (!until.isEmpty()) until.remove(dyno.address());
    }

    /** Whether to avoid the dyno now; an expired mark is dropped (the dyno gets its one trial request). */
    boolean avoid(WebDyno dyno) {
        if (until.isEmpty()) return false;
        Long deadline = until.get(dyno.address());
        if (deadline == null) return false;
        if (ticker.nanoTime() - deadline < 0) return true;
        until.remove(dyno.address(), deadline);
        return false;
    }
}

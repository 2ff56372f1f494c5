package io.slipway.router.routes;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Host → app. Reads (every request, on the event loops) see an immutable snapshot through one volatile field;
 * writes (the follower thread, rarely) copy and swap. {@link #loaded()} stays false until the first full
 * table arrived, so the proxy can tell "unknown host" from "not loaded yet".
 */
public final class RouteTable {
    private record Snapshot(Map<UUID, AppRoute> byApp, Map<String, AppRoute> byHost) {}

    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());
    private volatile boolean loaded;
    private final java.util.concurrent.CountDownLatch firstLoad = new java.util.concurrent.CountDownLatch(1);

    /** The app for a Host header value (any case, with or without port), or null. */
    public AppRoute lookup(String hostHeader) {
        if (hostHeader == null) return null;
        return snapshot.byHost.get(normalize(hostHeader));
    }

    public AppRoute byApp(UUID appId) {
        return snapshot.byApp.get(appId);
    }

    public boolean loaded() {
        return loaded;
    }

    /** Waits up to {@code timeout} for the first full table; answers whether it arrived. */
    public boolean awaitLoaded(java.time.Duration timeout) throws InterruptedException {
        return firstLoad.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public synchronized void replaceAll(Collection<AppRoute> apps) {
        Map<UUID, AppRoute> byApp = new HashMap<>();
        for (AppRoute r : apps) byApp.put(r.appId(), r);
        snapshot = index(byApp);
        loaded = true;
        firstLoad.countDown();
    }

    public synchronized void put(AppRoute route) {
        Map<UUID, AppRoute> byApp = new HashMap<>(snapshot.byApp);
        byApp.put(route.appId(), route);
        snapshot = index(byApp);
    }

    public synchronized void remove(UUID appId) {
        if (!snapshot.byApp.containsKey(appId)) return;
        Map<UUID, AppRoute> byApp = new HashMap<>(snapshot.byApp);
        byApp.remove(appId);
        snapshot = index(byApp);
    }

    private static Snapshot index(Map<UUID, AppRoute> byApp) {
        Map<String, AppRoute> byHost = new HashMap<>();
        for (AppRoute r : byApp.values()) {
            for (String h : r.hostnames()) byHost.put(h, r);
        }
        return new Snapshot(Map.copyOf(byApp), Map.copyOf(byHost));
    }

    /** Lowercase, without a port or a trailing dot; IPv6 literals keep their brackets. */
    public static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(']') < colon) h = h.substring(0, colon);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }
}

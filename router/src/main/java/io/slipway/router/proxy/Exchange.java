package io.slipway.router.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpVersion;
import io.slipway.router.errors.HerokuError;
import io.slipway.router.logging.AccessLog;
import io.slipway.router.routes.AppRoute;
import io.slipway.router.routes.WebDyno;

/** One request/response through the router: what the log line needs, plus where the exchange stands. */
final class Exchange {
    final String method;
    final String path;
    final String host;
    final String requestId;
    final String fwd;
    final long startNanos;
    final long startMillis;
    final HttpVersion clientVersion;
    final boolean upgrade;
    final boolean idempotent;
    boolean clientKeepAlive;

    /** The rewritten request head, until written upstream; kept for one retry on a stale pooled connection. */
    io.netty.handler.codec.http.HttpRequest request;
    io.netty.handler.codec.http.HttpRequest sentRequest;
    boolean retried;
    boolean informational;
    AppRoute route;
    WebDyno dyno;
    Channel upstream;
    int connectAttempts;
    /** The dyno connection came from the pool (it may have gone stale since). */
    boolean pooled;
    long connectMs = -1;
    long sentNanos;
    /** When the dyno must have started its response (H12), in System.nanoTime(); 0 when not waiting. */
    long firstByteDeadlineNanos;

    /** The router answers this one itself (error page) and drops the rest of the request body. */
    boolean discarding;
    boolean requestDone;
    boolean responseStarted;
    boolean responseDone;
    boolean upstreamReusable;
    /** Client request body bytes already handed to the upstream connection: no retry after that. */
    boolean bodySent;
    int status;
    long bytes;
    HerokuError error;

    Exchange(String method, String path, String host, String requestId, String fwd, HttpVersion clientVersion,
             boolean clientKeepAlive, boolean upgrade) {
        this.method = method;
        this.path = path;
        this.host = host;
        this.requestId = requestId;
        this.fwd = fwd;
        this.clientVersion = clientVersion;
        this.clientKeepAlive = clientKeepAlive;
        this.upgrade = upgrade;
        this.idempotent = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
                || method.equals("PUT") || method.equals("DELETE") || method.equals("TRACE");
        this.startNanos = System.nanoTime();
        this.startMillis = System.currentTimeMillis();
    }

    /** Stops waiting for the first byte; the connection's timer notices when it next fires. */
    void cancelTimer() {
        firstByteDeadlineNanos = 0;
    }

    /** Without a dyno (the router answered itself) connect, service and bytes stay empty, as in Heroku's lines. */
    AccessLog.Entry logEntry() {
        boolean proxied = dyno != null;
        long serviceMs = sentNanos == 0 ? 0 : (System.nanoTime() - sentNanos) / 1_000_000;
        return new AccessLog.Entry(route == null ? null : route.appId(), error, method, path, host, requestId, fwd,
                proxied ? dyno.name() : null, proxied ? Math.max(connectMs, 0) : -1, proxied ? serviceMs : -1,
                status, proxied ? bytes : -1, "http");
    }
}

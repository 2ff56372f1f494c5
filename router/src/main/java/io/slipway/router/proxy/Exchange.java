package io.slipway.router.proxy;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.slipway.router.errors.HerokuError;
import io.slipway.router.logging.AccessLog;
import io.slipway.router.routes.AppRoute;
import io.slipway.router.routes.WebDyno;

/**
 * One request/response through the router: what the log line needs, plus where the exchange stands. Plain
 * state: times are nanoseconds of the connection's {@link io.netty.util.concurrent.Ticker}, passed in by the
 * caller, so the policies reading it are tested by moving a clock rather than by waiting.
 */
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
    /** The client sent {@code Expect: 100-continue}: it holds its body back until the dyno asks for it. */
    boolean expectsContinue;

    /** The rewritten request head, until written upstream; kept for one retry on a stale pooled connection. */
    HttpRequest request;
    HttpRequest sentRequest;
    boolean retried;
    boolean informational;
    AppRoute route;
    WebDyno dyno;
    int connectAttempts;
    /** The dyno connection came from the pool (it may have gone stale since). */
    boolean pooled;
    long connectMs = -1;
    /** When the request head went to the dyno; meaningful once {@code sent}. */
    long sentNanos;
    boolean sent;
    /** When the dyno must have started its response (H12), while {@link #awaitingFirstByte}. */
    long firstByteDeadlineNanos;
    boolean awaitingFirstByte;
    /** While the app's dynos are all still booting ({@link #waitingForBoot}): until when it may wait (H20). */
    long bootDeadlineNanos;
    boolean waitingForBoot;

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
    /** Came in on the HTTPS listener (Heroku's router line then says {@code protocol=https}). */
    boolean https;
    HerokuError error;
    /** The HTTPS address the router redirects this plain request to (the app is https-only), or null. */
    String redirectTo;

    Exchange(String method, String path, String host, String requestId, String fwd, HttpVersion clientVersion,
             boolean clientKeepAlive, boolean upgrade, long nowNanos) {
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
        this.startNanos = nowNanos;
        this.startMillis = System.currentTimeMillis(); // X-Request-Start is wall-clock time
    }

    /** A new exchange for a request as the client sent it (before its headers are rewritten for the dyno). */
    static Exchange of(HttpRequest request, String clientIp, long nowNanos) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        Exchange e = new Exchange(request.method().name(), request.uri(), host == null ? "" : host,
                ProxyHeaders.requestId(request), clientIp, request.protocolVersion(), HttpUtil.isKeepAlive(request),
                ProxyHeaders.isUpgrade(request), nowNanos);
        e.expectsContinue = HttpUtil.is100ContinueExpected(request);
        return e;
    }

    /** The request head went to the dyno: Heroku's first-byte window (H12) starts now. */
    void markSent(long nowNanos, long firstByteTimeoutNanos) {
        sentNanos = nowNanos;
        sent = true;
        firstByteDeadlineNanos = nowNanos + firstByteTimeoutNanos;
        awaitingFirstByte = true;
    }

    /** The router answers this exchange itself with {@code page} (an error page, the 404). */
    void answeredWith(FullHttpResponse page, HerokuError error) {
        this.error = error;
        bytes = page.content().readableBytes();
        answeredWith(page.status().code());
    }

    /** The response is out as far as HTTP goes (a local page, or a 101 after which bytes are relayed). */
    void answeredWith(int status) {
        this.status = status;
        responseStarted = true;
        responseDone = true;
        awaitingFirstByte = false;
    }

    /** Stops waiting for the first byte; the connection's timer notices when it next fires. */
    void cancelTimer() {
        awaitingFirstByte = false;
    }

    /**
     * Nanoseconds left before H12; {@code <= 0} when it is due, {@link Long#MAX_VALUE} when this exchange is not
     * waiting for a first byte (answered, started, or not sent yet).
     */
    long firstByteLeft(long nowNanos) {
        if (responseStarted || !awaitingFirstByte) return Long.MAX_VALUE;
        return firstByteDeadlineNanos - nowNanos;
    }

    /**
     * A pooled connection the dyno closed before answering: a bodiless idempotent request is safe to send again,
     * once. Prepares the exchange for that second attempt and answers whether to make it.
     */
    boolean resendAfterStaleClose() {
        if (!pooled || retried || !idempotent || bodySent || !requestDone) return false;
        retried = true;
        cancelTimer();
        request = sentRequest;
        connectAttempts = 0;
        return true;
    }

    /** Without a dyno (the router answered itself) connect, service and bytes stay empty, as in Heroku's lines. */
    AccessLog.Entry logEntry(long nowNanos) {
        boolean proxied = dyno != null;
        long serviceMs = !sent ? 0 : (nowNanos - sentNanos) / 1_000_000;
        return new AccessLog.Entry(route == null ? null : route.appId(), error, method, path, host, requestId, fwd,
                proxied ? dyno.name() : null, proxied ? Math.max(connectMs, 0) : -1, proxied ? serviceMs : -1,
                status, proxied ? bytes : -1, https ? "https" : "http");
    }
}

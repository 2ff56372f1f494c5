package io.slipway.router.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Ticker;
import io.slipway.router.errors.HerokuError;
import io.slipway.router.routes.WebDyno;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The dyno half of one client connection: gets a dyno connection for the exchange in flight (pooled or new,
 * moving on to another dyno when one refuses), writes the request head, runs the H12 first-byte timer and
 * streams the dyno's response to the client. Decisions come from {@link DynoChoice}, {@link UpstreamLoss} and
 * {@link Exchange}; endings go back to the {@link ClientHandler}. Same event loop as the client, no locking.
 */
final class DynoLeg {
    /** How often a request waiting for a booting app looks for an up dyno. */
    static final long BOOT_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final ClientHandler client;
    private final ChannelHandlerContext ctx;
    private final ProxyContext px;
    private final Ticker ticker;
    /** The dyno connection carrying the client's exchange, or null (not connected yet, or none). */
    private Channel upstream;
    /**
     * The connection's H12 timer while it is pending, cancelled when the connection goes: an HTTP/2 stream is a
     * connection of its own here, and a timer left to fire 30 s later would keep the stream's whole pipeline
     * reachable (thousands of them per second) and grow the event loop's timer queue.
     */
    private ScheduledFuture<?> firstByteTimer;

    DynoLeg(ClientHandler client, ChannelHandlerContext ctx, ProxyContext px, Ticker ticker) {
        this.client = client;
        this.ctx = ctx;
        this.px = px;
        this.ticker = ticker;
    }

    /** The connection request bodies go to, or null while there is none yet. */
    Channel channel() {
        return upstream;
    }

    void connect(Exchange mine) {
        if (mine.waitingForBoot) {
            awaitBoot(mine);
            return;
        }
        WebDyno dyno = px.dynos().next(mine);
        Channel pooled = px.pool().poll(ctx.channel().eventLoop(), dyno);
        if (pooled != null) {
            mine.connectMs = 0;
            mine.pooled = true;
            attach(mine, pooled);
            return;
        }
        long t0 = ticker.nanoTime();
        px.pool().connect(ctx.channel().eventLoop(), dyno).addListener((ChannelFuture f) -> {
            if (client.current() != mine) {
                if (f.isSuccess()) f.channel().close();
                return;
            }
            if (f.isSuccess()) {
                px.dynos().connected(dyno);
                mine.connectMs = (ticker.nanoTime() - t0) / 1_000_000;
                mine.pooled = false;
                attach(mine, f.channel());
                return;
            }
            HerokuError error = px.dynos().connectFailed(mine, f.cause() instanceof ConnectTimeoutException);
            if (error == null) connect(mine); // nothing was sent: another dyno may take it
            else client.fail(error);
        });
    }

    private void attach(Exchange mine, Channel up) {
        upstream = up;
        up.pipeline().get(UpstreamHandler.class).attach(this);
        up.config().setAutoRead(ctx.channel().isWritable());
        HttpRequest request = mine.request;
        mine.request = null;
        mine.sentRequest = request;
        up.write(request);
        if (mine.requestDone) up.write(LastHttpContent.EMPTY_LAST_CONTENT); // a retry of a bodiless request
        mine.markSent(ticker.nanoTime(), px.firstByteTimeoutNanos());
        if (firstByteTimer == null) scheduleFirstByteCheck(px.firstByteTimeoutNanos());
        client.drain(); // body chunks that arrived while connecting
        up.flush();
    }

    /**
     * Heroku queues requests while an app's dynos boot: the route table is read again every
     * {@link #BOOT_RECHECK_NANOS} until a dyno is up or the boot timeout passed. Polling the in-memory table from
     * the event loop costs nothing while no request waits; a listener on the table (changed by the follower's
     * thread) would have to hop to every event loop instead.
     */
    private void awaitBoot(Exchange mine) {
        long left = Math.max(0, mine.bootDeadlineNanos - ticker.nanoTime());
        ctx.executor().schedule(() -> recheckBoot(mine), Math.min(left, BOOT_RECHECK_NANOS), TimeUnit.NANOSECONDS);
    }

    private void recheckBoot(Exchange mine) {
        if (client.current() != mine) return; // the client went away meanwhile
        switch (px.admission().recheck(mine, ticker.nanoTime())) {
            case WAIT -> awaitBoot(mine);
            case PROXY -> connect(mine);
            case ANSWER -> client.refuse(mine);
        }
    }

    /**
     * One H12 timer per connection, not one per request: scheduling and cancelling a task for every request
     * costs the event loop more than the rest of the bookkeeping. When it fires it checks the current
     * exchange's deadline and re-arms itself for the remainder if that one is still waiting.
     */
    private void scheduleFirstByteCheck(long delayNanos) {
        firstByteTimer = ctx.executor().schedule(this::checkFirstByte, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkFirstByte() {
        firstByteTimer = null;
        Exchange e = client.current();
        if (e == null) return;
        long left = e.firstByteLeft(ticker.nanoTime());
        if (left <= 0) client.fail(HerokuError.H12);
        else if (left != Long.MAX_VALUE) scheduleFirstByteCheck(left);
    }

    void fromUpstream(Channel up, Object msg) {
        Exchange e = client.current();
        if (e == null || upstream != up) {
            ReferenceCountUtil.release(msg);
            up.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            e.cancelTimer();
            if (code == 101 && e.upgrade) {
                upstream = null;
                e.answeredWith(101);
                ProxyHeaders.upgradeToClient(response);
                ctx.writeAndFlush(response);
                client.log(e); // logged once, at the 101
                client.handOver();
                ByteRelay.takeOver(ctx, ctx.handler(), up);
                return;
            }
            if (code >= 100 && code < 200) {
                e.informational = true; // 100 Continue & co: forwarded, the real response follows
                ctx.write(response);
                return;
            }
            e.responseStarted = true;
            e.status = code;
            e.upstreamReusable = HttpUtil.isKeepAlive(response);
            e.clientKeepAlive = ProxyHeaders.toClient(response, e.clientVersion, e.clientKeepAlive);
            ctx.write(response);
        }
        if (msg instanceof HttpContent content) {
            if (e.informational) {
                e.informational = false;
                ctx.write(content);
                return;
            }
            e.bytes += content.content().readableBytes();
            ctx.write(content);
            if (content instanceof LastHttpContent) {
                e.responseDone = true;
                ctx.flush();
                client.log(e);
                if (!e.requestDone) {
                    // the dyno answered before the body was in: drop the rest, never reuse that connection
                    e.discarding = true;
                    e.upstreamReusable = false;
                }
                client.maybeComplete();
                return;
            }
        }
        if (!ctx.channel().isWritable()) up.config().setAutoRead(false);
    }

    void readComplete() {
        client.dynoMoved();
        ctx.flush();
    }

    void writabilityChanged() {
        client.updateClientRead();
    }

    void closed(Channel up) {
        Exchange e = client.current();
        if (e == null || upstream != up || e.responseDone) return;
        upstream = null;
        UpstreamLoss loss = UpstreamLoss.of(e);
        switch (loss) {
            case RESEND -> connect(e);
            case INTERRUPTED, NO_RESPONSE -> client.fail(loss.error);
            case CUT -> {
                e.error = loss.error;
                client.log(e);
                client.closeAll();
            }
        }
    }

    /** The client's auto-read follows the dyno connection's writability, and the reverse. */
    void followClientWritability(boolean writable) {
        if (upstream != null) upstream.config().setAutoRead(writable);
    }

    /** The connection is done with (closed or handed over): its H12 timer goes with it. */
    void stopTimer() {
        ScheduledFuture<?> t = firstByteTimer;
        firstByteTimer = null;
        if (t != null) t.cancel(false);
    }

    /** The exchange ended cleanly: the connection goes back to the pool when both sides allow it. */
    void release(Exchange e) {
        Channel up = upstream;
        if (up == null) return;
        upstream = null;
        if (e.upstreamReusable) {
            px.pool().release(up, e.dyno);
        } else {
            up.pipeline().get(UpstreamHandler.class).attach(null);
            up.close();
        }
    }

    /** Drops the dyno connection (failure, client gone): it is not told about its own closing. */
    void close() {
        stopTimer();
        Channel up = upstream;
        upstream = null;
        if (up != null) {
            UpstreamHandler h = up.pipeline().get(UpstreamHandler.class);
            if (h != null) h.attach(null);
            up.close();
        }
    }
}

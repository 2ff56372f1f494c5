package io.slipway.router.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.slipway.router.errors.ErrorPages;
import io.slipway.router.errors.HerokuError;
import io.slipway.router.routes.AppRoute;
import io.slipway.router.routes.WebDyno;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: reads requests one at a time (HTTP/1.1 keep-alive, pipelined requests wait their
 * turn), routes each by Host, streams it to a dyno connection and the response back. Bodies are never
 * aggregated: each chunk is written on as it arrives, and reading stops on whichever side the other cannot
 * keep up with ({@code autoRead} follows the peer's writability). After a {@code 101 Switching Protocols}
 * both codecs leave the pipelines and {@link ByteRelay} takes both connections over.
 *
 * <p>Everything here runs on the client channel's event loop, which is also the loop of its upstream
 * connections, so there is no locking.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    static final String IDLE = "idle";
    static final String CODEC = "codec";
    /** Pipelined messages held while an exchange is running; reading pauses beyond this. */
    private static final int MAX_QUEUED = 16;

    private final ProxyContext px;
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private String clientIp = "";
    private int localPort;
    private Exchange ex;
    private boolean draining;
    private boolean closing;
    /** Last byte from the dyno or last drain progress towards the client: the other half of the idle window. */
    private long peerActivityNanos = System.nanoTime();
    private boolean firstByteTimerPending;

    ClientHandler(ProxyContext px) {
        this.px = px;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            clientIp = remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
        }
        if (ctx.channel().localAddress() instanceof InetSocketAddress local) localPort = local.getPort();
        ctx.fireChannelActive();
    }

    // ---- client side -------------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        inbound.add(msg);
        drain();
    }

    /** Moves queued client messages along as far as the current exchange allows. */
    private void drain() {
        if (draining) return; // re-entered from a completing exchange: the outer loop continues
        draining = true;
        Channel flush = null;
        try {
            while (!closing && !inbound.isEmpty()) {
                Object m = inbound.peek();
                if (m instanceof HttpRequest request) {
                    if (ex != null) break;
                    inbound.poll();
                    startRequest(request);
                    continue;
                }
                if (!(m instanceof HttpContent content) || ex == null) {
                    ReferenceCountUtil.release(inbound.poll());
                    continue;
                }
                if (ex.discarding) {
                    inbound.poll();
                    content.release();
                    if (content instanceof LastHttpContent) {
                        ex.requestDone = true;
                        maybeComplete();
                    }
                    continue;
                }
                if (ex.upstream == null || ex.requestDone) break; // still connecting
                inbound.poll();
                if (content.content().isReadable()) ex.bodySent = true;
                if (content instanceof LastHttpContent) ex.requestDone = true;
                flush = ex.upstream;
                flush.write(content);
            }
        } finally {
            draining = false;
        }
        if (flush != null) flush.flush();
        updateClientRead();
    }

    private void startRequest(HttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            reject(result.cause());
            return;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        boolean upgrade = ProxyHeaders.isUpgrade(request);
        ex = new Exchange(request.method().name(), request.uri(), host == null ? "" : host,
                ProxyHeaders.requestId(request), clientIp, request.protocolVersion(), HttpUtil.isKeepAlive(request),
                upgrade);
        // a client waiting for 100 Continue will not send the body we would discard after a refusal
        if (HttpUtil.is100ContinueExpected(request)) ex.clientKeepAlive = false;
        if (!px.table().loaded()) {
            answerLocally(ErrorPages.forError(HerokuError.H99), HerokuError.H99);
            return;
        }
        AppRoute route = px.table().lookup(host);
        if (route == null) {
            answerLocally(ErrorPages.noSuchApp(), null);
            return;
        }
        ex.route = route;
        HerokuError refusal = Admission.refusal(route);
        if (refusal != null) {
            answerLocally(ErrorPages.forError(refusal), refusal);
            return;
        }
        // proxied, the dyno answers the Expect itself: the connection may live on
        if (HttpUtil.is100ContinueExpected(request)) ex.clientKeepAlive = HttpUtil.isKeepAlive(request);
        ProxyHeaders.toDyno(request, upgrade, clientIp, localPort, ex.requestId, ex.startMillis);
        ex.request = request;
        connect();
    }

    /** A request the decoder refused: request line or headers too long (Heroku's H25 family), or malformed. */
    private void reject(Throwable cause) {
        HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        FullHttpResponse page = ErrorPages.badRequest(status);
        page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        closeAfter(page);
    }

    /** The router's own answer (error pages); the request body, if any, is read and dropped. */
    private void answerLocally(FullHttpResponse page, HerokuError error) {
        Exchange e = ex;
        e.discarding = true;
        e.error = error;
        e.status = page.status().code();
        e.bytes = page.content().readableBytes();
        e.responseStarted = true;
        e.responseDone = true;
        if (!e.clientKeepAlive) page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        else if (e.clientVersion.equals(HttpVersion.HTTP_1_0)) {
            page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        page.setProtocolVersion(e.clientVersion.equals(HttpVersion.HTTP_1_0) ? HttpVersion.HTTP_1_0
                : HttpVersion.HTTP_1_1);
        ctx.writeAndFlush(page);
        log(e);
        maybeComplete();
    }

    private void updateClientRead() {
        boolean read;
        if (closing) read = false;
        else if (ex == null) read = true;
        else if (ex.discarding) read = !ex.requestDone;
        else if (ex.upgrade && !ex.responseStarted) read = false; // nothing may follow until the 101
        else if (ex.requestDone) read = inbound.size() < MAX_QUEUED;
        else read = ex.upstream != null && ex.upstream.isWritable();
        ctx.channel().config().setAutoRead(read);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        peerActivityNanos = System.nanoTime(); // a slow client draining a response is still moving
        boolean writable = ctx.channel().isWritable();
        if (ex != null && ex.upstream != null && !ex.responseDone) ex.upstream.config().setAutoRead(writable);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        // Heroku's 55 s rolling window: nothing moved either way (the event only covers client reads)
        if (System.nanoTime() - peerActivityNanos < px.idleNanos()) return;
        if (ex == null || ex.responseDone) {
            closeAll();
        } else if (!ex.responseStarted) {
            fail(HerokuError.H15);
        } else {
            ex.error = HerokuError.H15;
            log(ex);
            closeAll();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseInbound();
        Exchange e = ex;
        ex = null;
        if (e != null) {
            e.cancelTimer();
            if (!e.responseDone) {
                e.error = HerokuError.H27;
                e.status = 499;
                log(e);
            }
            closeUpstream(e);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset client: channelInactive cleans up
    }

    // ---- upstream side -----------------------------------------------------------------------------------

    private void connect() {
        Exchange mine = ex;
        WebDyno dyno = mine.route.next(px.failedDynos()::avoid);
        mine.dyno = dyno;
        mine.connectAttempts++;
        Channel pooled = px.pool().poll(ctx.channel().eventLoop(), dyno);
        if (pooled != null) {
            mine.connectMs = 0;
            mine.pooled = true;
            attachUpstream(pooled);
            return;
        }
        long t0 = System.nanoTime();
        px.pool().connect(ctx.channel().eventLoop(), dyno).addListener((ChannelFuture f) -> {
            if (ex != mine || closing) {
                if (f.isSuccess()) f.channel().close();
                return;
            }
            if (f.isSuccess()) {
                px.failedDynos().connected(dyno);
                mine.connectMs = (System.nanoTime() - t0) / 1_000_000;
                mine.pooled = false;
                attachUpstream(f.channel());
            } else if (mine.connectAttempts < mine.route.webDynos().size()) {
                px.failedDynos().failed(dyno);
                connect(); // nothing was sent: another dyno may take it
            } else {
                px.failedDynos().failed(dyno);
                fail(f.cause() instanceof ConnectTimeoutException ? HerokuError.H19 : HerokuError.H13);
            }
        });
    }

    private void attachUpstream(Channel up) {
        Exchange mine = ex;
        mine.upstream = up;
        up.pipeline().get(UpstreamHandler.class).attach(this);
        up.config().setAutoRead(ctx.channel().isWritable());
        HttpRequest request = mine.request;
        mine.request = null;
        mine.sentRequest = request;
        up.write(request);
        if (mine.requestDone) up.write(LastHttpContent.EMPTY_LAST_CONTENT); // a retry of a bodiless request
        mine.sentNanos = System.nanoTime();
        mine.firstByteDeadlineNanos = mine.sentNanos + px.firstByteTimeout().toNanos();
        if (!firstByteTimerPending) scheduleFirstByteCheck(px.firstByteTimeout().toNanos());
        drain();
        up.flush();
    }

    /**
     * One H12 timer per connection, not one per request: scheduling and cancelling a task for every request
     * costs the event loop more than the rest of the bookkeeping. When it fires it checks the current
     * exchange's deadline and re-arms itself for the remainder if that one is still waiting.
     */
    private void scheduleFirstByteCheck(long delayNanos) {
        firstByteTimerPending = true;
        ctx.channel().eventLoop().schedule(this::checkFirstByte, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkFirstByte() {
        firstByteTimerPending = false;
        Exchange e = ex;
        if (closing || e == null || e.responseStarted || e.firstByteDeadlineNanos == 0) return;
        long left = e.firstByteDeadlineNanos - System.nanoTime();
        if (left <= 0) fail(HerokuError.H12);
        else scheduleFirstByteCheck(left);
    }

    void fromUpstream(Channel up, Object msg) {
        Exchange e = ex;
        if (e == null || e.upstream != up) {
            ReferenceCountUtil.release(msg);
            up.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            e.cancelTimer();
            if (code == 101 && e.upgrade) {
                switchToRelay(response);
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
                log(e);
                if (!e.requestDone) {
                    // the dyno answered before the body was in: drop the rest, never reuse that connection
                    e.discarding = true;
                    e.upstreamReusable = false;
                }
                maybeComplete();
                return;
            }
        }
        if (!ctx.channel().isWritable()) up.config().setAutoRead(false);
    }

    void upstreamReadComplete() {
        peerActivityNanos = System.nanoTime();
        ctx.flush();
    }

    void upstreamWritabilityChanged() {
        updateClientRead();
    }

    void upstreamClosed(Channel up) {
        Exchange e = ex;
        if (e == null || e.upstream != up || e.responseDone) return;
        e.upstream = null;
        if (!e.responseStarted) {
            // a pooled connection the dyno had just closed: a bodiless idempotent request is safe to send again
            if (e.pooled && !e.retried && e.idempotent && !e.bodySent && e.requestDone) {
                e.retried = true;
                e.cancelTimer();
                e.request = e.sentRequest;
                e.connectAttempts = 0;
                connect();
                return;
            }
            fail(e.requestDone ? HerokuError.H13 : HerokuError.H18);
        } else {
            e.error = HerokuError.H13;
            log(e);
            closeAll();
        }
    }

    // ---- endings -----------------------------------------------------------------------------------------

    private void maybeComplete() {
        Exchange e = ex;
        if (e == null || !e.requestDone || !e.responseDone) return;
        ex = null;
        e.cancelTimer();
        if (e.upstream != null) {
            Channel up = e.upstream;
            e.upstream = null;
            if (e.upstreamReusable) {
                px.pool().release(up, e.dyno);
            } else {
                up.pipeline().get(UpstreamHandler.class).attach(null);
                up.close();
            }
        }
        if (!e.clientKeepAlive) {
            closeAfter(Unpooled.EMPTY_BUFFER);
            return;
        }
        drain();
    }

    /** After the upstream failed us before any response byte: Heroku's error page, then close. */
    private void fail(HerokuError error) {
        Exchange e = ex;
        ex = null;
        e.cancelTimer();
        closeUpstream(e);
        e.error = error;
        e.status = error.status();
        FullHttpResponse page = ErrorPages.forError(error);
        e.bytes = page.content().readableBytes();
        page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        log(e);
        closeAfter(page);
    }

    private void switchToRelay(HttpResponse response) {
        Exchange e = ex;
        ex = null;
        e.responseStarted = true;
        e.responseDone = true;
        e.status = 101;
        ProxyHeaders.upgradeToClient(response);
        ctx.writeAndFlush(response);
        log(e);
        Channel up = e.upstream;
        Channel client = ctx.channel();
        closing = true; // this handler is done with the connection: ByteRelay takes both sides over
        releaseInbound();
        // the relays go in first: leftover bytes of either decoder come out as raw ByteBufs when it is removed
        up.pipeline().replace(UpstreamHandler.class, "relay", new ByteRelay(client));
        ctx.pipeline().replace(this, "relay", new ByteRelay(up));
        client.pipeline().remove(CODEC);
        up.pipeline().remove(UpstreamPool.CODEC);
        client.config().setAutoRead(up.isWritable());
        up.config().setAutoRead(client.isWritable());
    }

    private void closeUpstream(Exchange e) {
        Channel up = e.upstream;
        e.upstream = null;
        if (up != null) {
            UpstreamHandler h = up.pipeline().get(UpstreamHandler.class);
            if (h != null) h.attach(null);
            up.close();
        }
    }

    private void closeAfter(Object last) {
        closing = true;
        releaseInbound();
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }

    /** Closes both sides; the caller has logged the exchange, so channelInactive must not log it again. */
    private void closeAll() {
        closing = true;
        if (ex != null) {
            ex.cancelTimer();
            closeUpstream(ex);
            ex = null;
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void releaseInbound() {
        Object m;
        while ((m = inbound.poll()) != null) ReferenceCountUtil.release(m);
    }

    private void log(Exchange e) {
        px.accessLog().log(e.logEntry());
    }
}

package io.slipway.router.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Ticker;
import io.slipway.router.errors.ErrorPages;
import io.slipway.router.errors.HerokuError;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client connection: reads requests one at a time (HTTP/1.1 keep-alive, pipelined requests wait their
 * turn), routes each by Host, streams it to a dyno connection and the response back. Bodies are never
 * aggregated: each chunk is written on as it arrives, and reading stops on whichever side the other cannot
 * keep up with ({@code autoRead} follows the peer's writability). After a {@code 101 Switching Protocols}
 * {@link ByteRelay} takes both connections over. This class only moves bytes and runs the timers; what an event
 * means by Heroku's rules is decided by plain classes ({@link Admission}, {@link DynoChoice},
 * {@link UpstreamLoss}, {@link IdleWindow}, {@link Exchange}) on the event loop's {@link Ticker}.
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
    /** Whether this connection came in on the HTTPS listener: the dyno's X-Forwarded-Proto, the log's protocol. */
    private final boolean https;
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Ticker ticker;
    private IdleWindow idle;
    private String clientIp = "";
    private int localPort;
    private Exchange ex;
    private DynoLeg dyno;
    private boolean draining;
    private boolean closing;

    ClientHandler(ProxyContext px) {
        this(px, false);
    }

    ClientHandler(ProxyContext px, boolean https) {
        this.px = px;
        this.https = https;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.ticker = ctx.executor().ticker();
        this.idle = new IdleWindow(px.idleNanos(), ticker.nanoTime());
        this.dyno = new DynoLeg(this, ctx, px, ticker);
        // added after activation (HTTPS: once TLS negotiated HTTP/1.1), channelActive does not come again
        if (ctx.channel().isActive()) identifyClient(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        identifyClient(ctx); // again: behind a PROXY header the connection becomes active once it is read
        ctx.fireChannelActive();
    }

    private void identifyClient(ChannelHandlerContext ctx) {
        clientIp = ProxyHeaders.clientIp(ProxyProtocol.clientAddress(ctx.channel()));
        if (ctx.channel().localAddress() instanceof InetSocketAddress local) localPort = local.getPort();
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
    void drain() {
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
                Channel upstream = dyno.channel();
                if (upstream == null || ex.requestDone) break; // still connecting (or waiting for a dyno)
                inbound.poll();
                if (content.content().isReadable()) ex.bodySent = true;
                if (content instanceof LastHttpContent) ex.requestDone = true;
                flush = upstream;
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
        if (result.isFailure() || !RequestTarget.toOriginForm(request)) {
            FullHttpResponse page = ErrorPages.forDecoderFailure(result.cause());
            page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            closeAfter(page);
            return;
        }
        long now = ticker.nanoTime();
        ex = Exchange.of(request, clientIp, now);
        ex.https = https;
        Admission.Verdict verdict = px.admission().admit(ex, now);
        if (verdict == Admission.Verdict.ANSWER) {
            refuse(ex);
            return;
        }
        if (verdict == Admission.Verdict.REDIRECT) {
            answerLocally(ex, HttpsRedirect.response(ex.method, ex.redirectTo));
            return;
        }
        // PROXY, or WAIT for a booting dyno (the request keeps its arrival time in X-Request-Start)
        ProxyHeaders.toDyno(request, ex.upgrade, clientIp, https, localPort, ex.requestId, ex.startMillis);
        ex.request = request;
        dyno.connect(ex);
    }

    /**
     * The router's own answer for {@code e.error} (the 404 page when null), at once or after waiting for a
     * booting dyno; the request body, if any, is read and dropped.
     */
    void refuse(Exchange e) {
        answerLocally(e, e.error == null ? ErrorPages.noSuchApp() : ErrorPages.forError(e.error));
    }

    /** The router's own answer {@code page} (an error page, a redirect); the request body, if any, is dropped. */
    private void answerLocally(Exchange e, FullHttpResponse page) {
        e.discarding = true;
        e.answeredWith(page, e.error);
        // a client waiting for 100 Continue will not send the body we would discard: no next request can follow
        if (e.expectsContinue) e.clientKeepAlive = false;
        ProxyHeaders.localAnswer(page, e.clientVersion, e.clientKeepAlive);
        ctx.writeAndFlush(page);
        log(e);
        maybeComplete();
        drain(); // body chunks held while waiting (a no-op when called from drain itself)
    }

    void updateClientRead() {
        boolean read;
        if (closing) read = false;
        else if (ex == null) read = true;
        else if (ex.discarding) read = !ex.requestDone;
        else if (ex.upgrade && !ex.responseStarted) read = false; // nothing may follow until the 101
        else if (ex.requestDone) read = inbound.size() < MAX_QUEUED;
        else read = dyno.channel() != null && dyno.channel().isWritable();
        ctx.channel().config().setAutoRead(read);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        idle.touch(ticker.nanoTime()); // a slow client draining a response is still moving
        boolean writable = ctx.channel().isWritable();
        if (ex != null && !ex.responseDone) dyno.followClientWritability(writable);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        switch (idle.onClientSilent(ex, ticker.nanoTime())) {
            case KEEP -> { }
            case CLOSE -> closeAll();
            case H15_PAGE -> fail(HerokuError.H15);
            case H15_CUT -> {
                ex.error = HerokuError.H15;
                log(ex);
                closeAll();
            }
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
        }
        dyno.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset client: channelInactive cleans up
    }

    // ---- for the dyno leg ------------------------------------------------------------------------------

    /** The exchange in flight, or null (none, or the connection is closing). */
    Exchange current() {
        return closing ? null : ex;
    }

    /** Bytes came from the dyno: the idle window restarts. */
    void dynoMoved() {
        idle.touch(ticker.nanoTime());
    }

    // ---- endings -----------------------------------------------------------------------------------------

    void maybeComplete() {
        Exchange e = ex;
        if (e == null || !e.requestDone || !e.responseDone) return;
        ex = null;
        e.cancelTimer();
        dyno.release(e);
        if (!e.clientKeepAlive) {
            closeAfter(Unpooled.EMPTY_BUFFER);
            return;
        }
        drain();
    }

    /** After the upstream failed us before any response byte: Heroku's error page, then close. */
    void fail(HerokuError error) {
        Exchange e = ex;
        ex = null;
        dyno.close();
        FullHttpResponse page = ErrorPages.forError(error);
        e.answeredWith(page, error);
        page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        log(e);
        closeAfter(page);
    }

    /** The dyno's 101 ended HTTP on this connection: {@link ByteRelay} takes both sides over. */
    void handOver() {
        ex = null;
        closing = true;
        releaseInbound();
    }

    private void closeAfter(Object last) {
        closing = true;
        releaseInbound();
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }

    /** Closes both sides; the caller has logged the exchange, so channelInactive must not log it again. */
    void closeAll() {
        ex = null;
        dyno.close();
        closeAfter(Unpooled.EMPTY_BUFFER);
    }

    private void releaseInbound() {
        Object m;
        while ((m = inbound.poll()) != null) ReferenceCountUtil.release(m);
    }

    void log(Exchange e) {
        px.accessLog().accept(e.logEntry(ticker.nanoTime()));
    }
}

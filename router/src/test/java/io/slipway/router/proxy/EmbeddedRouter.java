package io.slipway.router.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.slipway.router.logging.AccessLog;
import io.slipway.router.routes.AppRoute;
import io.slipway.router.routes.RouteTable;
import io.slipway.router.routes.WebDyno;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link ClientHandler} (behind a real {@link IdleStateHandler}) on an {@link EmbeddedChannel} whose
 * clock is a {@link MockTicker}: the test writes decoded requests in, plays the dynos on embedded channels of
 * its own, and moves time instead of waiting for it. Dyno connections are handed out by {@link Dynos}, which
 * keeps idle ones for reuse like the pool and can refuse or time out connects to a chosen dyno.
 */
final class EmbeddedRouter implements AutoCloseable {
    static final Duration FIRST_BYTE = Duration.ofSeconds(30);
    static final Duration IDLE = Duration.ofSeconds(55);
    static final Duration COOLDOWN = Duration.ofSeconds(10);

    final MockTicker ticker = Ticker.newMockTicker();
    final RouteTable table = new RouteTable();
    final Dynos dynos = new Dynos();
    final List<AccessLog.Entry> lines = new CopyOnWriteArrayList<>();
    final EmbeddedChannel client;

    EmbeddedRouter(Duration firstByte, Duration bootTimeout) {
        ProxyContext px = new ProxyContext(new Admission(table, bootTimeout.toNanos()), dynos, lines::add,
                firstByte.toNanos(), IDLE.toNanos(), new DynoChoice(new FailedDynos(COOLDOWN, ticker)));
        client = EmbeddedChannel.builder().ticker(ticker)
                .handlers(new IdleStateHandler(IDLE.toMillis(), 0, 0, TimeUnit.MILLISECONDS), new ClientHandler(px))
                .build();
    }

    EmbeddedRouter() {
        this(FIRST_BYTE, Duration.ZERO);
    }

    /** An app answering to {@code host} with web dynos named web.1, web.2... at the given ports. */
    static AppRoute app(String host, String webState, int... ports) {
        List<WebDyno> list = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            list.add(new WebDyno(UUID.randomUUID().toString(), "web." + (i + 1), "10.0.0.1", ports[i]));
        }
        return new AppRoute(UUID.randomUUID(), host, List.of(host), false, webState, list);
    }

    /** A bodiless GET as the server codec decodes it: the head, then an empty last content. */
    void get(String host, String path) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        r.headers().set("Host", host);
        client.writeInbound(r, LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** Moves the clock and runs what came due (timers of the handler and of the idle handler). */
    void advance(Duration d) {
        ticker.advance(d.toNanos(), TimeUnit.NANOSECONDS);
        client.runScheduledPendingTasks();
        client.runPendingTasks();
    }

    /** The next response the client got (skipping empty buffers), or null. */
    HttpResponse response() {
        Object o;
        while ((o = client.readOutbound()) != null) {
            if (o instanceof HttpResponse r) return r;
            io.netty.util.ReferenceCountUtil.release(o);
        }
        return null;
    }

    String lastCode() {
        if (lines.isEmpty()) return null;
        AccessLog.Entry e = lines.get(lines.size() - 1);
        return e.error() == null ? "info" : e.error().name();
    }

    @Override
    public void close() {
        client.finishAndReleaseAll();
        for (EmbeddedChannel c : dynos.opened) c.finishAndReleaseAll();
    }

    /** The dynos' side: each connect opens an embedded channel carrying a real {@link UpstreamHandler}. */
    static final class Dynos implements DynoConnections {
        final List<EmbeddedChannel> opened = new ArrayList<>();
        final List<Integer> connectsTo = new ArrayList<>();
        final Set<Integer> refusing = new HashSet<>();
        final Set<Integer> timingOut = new HashSet<>();
        private final Map<Integer, ArrayDeque<Channel>> idle = new HashMap<>();
        /** The connection handed out last (pooled or new): the one carrying the exchange in flight. */
        EmbeddedChannel inUse;

        @Override
        public Channel poll(EventLoop loop, WebDyno dyno) {
            ArrayDeque<Channel> q = idle.get(dyno.port());
            Channel ch = q == null ? null : q.pollLast();
            if (ch != null) {
                ch.pipeline().get(UpstreamHandler.class).leavePool();
                inUse = (EmbeddedChannel) ch;
            }
            return ch;
        }

        @Override
        public ChannelFuture connect(EventLoop loop, WebDyno dyno) {
            connectsTo.add(dyno.port());
            EmbeddedChannel ch = new EmbeddedChannel(new UpstreamHandler());
            opened.add(ch);
            if (refusing.contains(dyno.port())) return ch.newFailedFuture(new ConnectException("Connection refused"));
            if (timingOut.contains(dyno.port())) {
                return ch.newFailedFuture(new io.netty.channel.ConnectTimeoutException("connection timed out"));
            }
            inUse = ch;
            return ch.newSucceededFuture();
        }

        @Override
        public void release(Channel ch, WebDyno dyno) {
            ArrayDeque<Channel> q = idle.computeIfAbsent(dyno.port(), k -> new ArrayDeque<>());
            q.add(ch);
            ch.pipeline().get(UpstreamHandler.class).enterPool(q);
        }

        /** The request head the dyno got on the connection in use, or null. */
        HttpRequest received() {
            Object o;
            while ((o = inUse.readOutbound()) != null) {
                if (o instanceof HttpRequest r) return r;
                io.netty.util.ReferenceCountUtil.release(o);
            }
            return null;
        }

        /** The dyno in use answers 200 with {@code body}, head and body as the client codec decodes them. */
        void answer(String body) {
            io.netty.handler.codec.http.HttpResponse head = new io.netty.handler.codec.http.DefaultHttpResponse(
                    HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpResponseStatus.OK);
            head.headers().set("Content-Length", body.length());
            inUse.writeInbound(head, new io.netty.handler.codec.http.DefaultLastHttpContent(
                    io.netty.buffer.Unpooled.copiedBuffer(body, java.nio.charset.StandardCharsets.UTF_8)));
        }
    }
}

package io.slipway.router.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.FastThreadLocal;
import io.slipway.router.routes.WebDyno;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to dynos, reused across requests. One pool per event loop: a client connection and
 * its upstream connections live on the same loop, so the pool needs no locks and no thread hops.
 * Idle connections are closed after {@link #IDLE_KEEP} (before typical app servers give up on them) and
 * dropped from the pool as soon as the dyno closes them.
 */
final class UpstreamPool implements DynoConnections {
    static final String CODEC = "codec";
    static final String HANDLER = "upstream";
    private static final int MAX_IDLE_PER_DYNO = 256;
    private static final Duration IDLE_KEEP = Duration.ofSeconds(4);

    private final Bootstrap template;
    private final FastThreadLocal<Map<String, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<String, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    UpstreamPool(Duration connectTimeout) {
        this.template = new Bootstrap()
                .channel(Transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // response headers of apps can be large (cookies); the client side is the one we limit.
                        // No per-header name/value validation of the dyno's responses (it cost ~5 % of the event
                        // loop): the line-based parser already keeps CR/LF out of names and values, so a response
                        // cannot split or smuggle towards the client; odd characters reach the client as the app
                        // wrote them, as they would without a router. Client requests stay validated.
                        HttpDecoderConfig config = new HttpDecoderConfig()
                                .setValidateHeaders(false)
                                .setMaxInitialLineLength(16 * 1024)
                                .setMaxHeaderSize(64 * 1024)
                                .setMaxChunkSize(64 * 1024);
                        ch.pipeline().addLast(CODEC, new HttpClientCodec(config, false, false));
                        ch.pipeline().addLast(HANDLER, new UpstreamHandler());
                    }
                });
    }

    /** An idle pooled connection to the dyno on this loop, or null. Call on {@code loop}. */
    @Override
    public Channel poll(EventLoop loop, WebDyno dyno) {
        ArrayDeque<Channel> q = idle.get().get(dyno.address());
        if (q == null) return null;
        Channel ch;
        while ((ch = q.pollLast()) != null) {
            UpstreamHandler handler = ch.pipeline().get(UpstreamHandler.class);
            if (ch.isActive() && handler != null) {
                handler.leavePool();
                return ch;
            }
        }
        return null;
    }

    @Override
    public ChannelFuture connect(EventLoop loop, WebDyno dyno) {
        return template.clone(loop).connect(dyno.host(), dyno.port());
    }

    /** Puts a connection whose exchange ended cleanly back for reuse. Call on its loop. */
    @Override
    public void release(Channel ch, WebDyno dyno) {
        UpstreamHandler handler = ch.pipeline().get(UpstreamHandler.class);
        if (!ch.isActive() || handler == null) {
            ch.close();
            return;
        }
        ArrayDeque<Channel> q = idle.get().computeIfAbsent(dyno.address(), k -> new ArrayDeque<>());
        if (q.size() >= MAX_IDLE_PER_DYNO) {
            ch.close();
            return;
        }
        ch.config().setAutoRead(true); // notice the dyno closing it while idle
        q.addLast(ch);
        if (handler.enterPool(q)) scheduleExpiry(ch, handler, IDLE_KEEP.toNanos());
    }

    /** One timer per connection at most (not one per release: a busy pool would queue millions). */
    private void scheduleExpiry(Channel ch, UpstreamHandler handler, long delayNanos) {
        ch.eventLoop().schedule(() -> {
            if (!handler.inPool()) {
                handler.expiryDone();
                return;
            }
            long idleFor = System.nanoTime() - handler.pooledSinceNanos();
            if (idleFor >= IDLE_KEEP.toNanos()) {
                handler.expiryDone();
                ch.close(); // its channelInactive takes it out of the queue
            } else {
                scheduleExpiry(ch, handler, IDLE_KEEP.toNanos() - idleFor);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }
}

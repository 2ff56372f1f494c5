package io.slipway.router.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The PROXY protocol (v1 or v2) in front of a listener, for routers behind a balancer that sends it
 * ({@code send-proxy-v2} in HAProxy): every connection must start with the header, whose source address then
 * stands for the client ({@link #clientAddress}: X-Forwarded-For, the log's {@code fwd}). A connection without a
 * valid header is closed: with the setting on, the router's ports are meant for the balancer only, and a peer that
 * does not speak the protocol is not one. The handlers behind the header (the HTTP codec, or TLS) see the
 * connection become active only once the header is read, so they never see its bytes nor start early.
 */
public final class ProxyProtocol {
    /** The source address a PROXY header gave this connection (absent: LOCAL or UNKNOWN, use the socket's). */
    static final AttributeKey<InetSocketAddress> SOURCE = AttributeKey.valueOf("slipway.proxy-protocol.source");

    /** A peer that has not sent its header by then is dropped (the balancer sends it with the connection). */
    static final long HEADER_TIMEOUT_MILLIS = 10_000;

    private ProxyProtocol() {}

    /** {@code inner} (a listener's own initializer) behind the PROXY protocol decoder. */
    static ChannelHandler required(ChannelHandler inner) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("proxy-protocol", new HAProxyMessageDecoder())
                        .addLast("proxy-protocol-gate", new Gate())
                        .addLast(inner);
            }
        };
    }

    /**
     * The client as X-Forwarded-For shows it: the PROXY header's source when there was one, else the peer. An
     * HTTP/2 stream looks at its connection's header.
     */
    static SocketAddress clientAddress(Channel ch) {
        for (Channel c = ch; c != null; c = c.parent()) {
            InetSocketAddress source = c.hasAttr(SOURCE) ? c.attr(SOURCE).get() : null;
            if (source != null) return source;
        }
        return ch.remoteAddress();
    }

    /** Holds the connection's activation until the header arrives; closes it on a bad or missing one. */
    static final class Gate extends ChannelInboundHandlerAdapter {
        private ScheduledFuture<?> timeout;
        private boolean passed;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            timeout = ctx.executor().schedule(() -> {
                if (!passed) ctx.close();
            }, HEADER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // not yet: the handlers behind start with the header's client, see channelRead
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof HAProxyMessage header)) {
                ReferenceCountUtil.release(msg); // cannot happen: the decoder passes nothing before the header
                ctx.close();
                return;
            }
            try {
                InetSocketAddress source = sourceOf(header);
                if (source != null) ctx.channel().attr(SOURCE).set(source);
            } finally {
                header.release();
            }
            passed = true;
            timeout.cancel(false);
            ctx.fireChannelActive();
            ctx.pipeline().remove(this); // the decoder then hands the bytes after the header on
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (passed) {
                ctx.fireExceptionCaught(cause);
            } else {
                ctx.close(); // no header or a malformed one: never served, never trusted
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            timeout.cancel(false);
            ctx.fireChannelInactive(); // also when they never became active: their timers stop
        }

        /**
         * The proxied client, or null to keep the socket's peer: LOCAL (the balancer's own health checks) and
         * UNKNOWN carry no client, as the protocol's spec says.
         */
        private static InetSocketAddress sourceOf(HAProxyMessage m) {
            if (m.command() != HAProxyCommand.PROXY) return null;
            HAProxyProxiedProtocol.AddressFamily family = m.proxiedProtocol().addressFamily();
            if (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                    && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6) {
                return null;
            }
            // an IP literal (the decoder validated it): parsed without any name lookup
            InetAddress ip = NetUtil.createInetAddressFromIpAddressString(m.sourceAddress());
            return ip == null ? null : new InetSocketAddress(ip, m.sourcePort());
        }
    }
}

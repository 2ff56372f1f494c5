package io.slipway.router.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.slipway.router.routes.WebDyno;

/**
 * Where a client connection gets its dyno connections: {@link UpstreamPool} (TCP, pooled per event loop), or in
 * tests channels the test drives itself. Each channel carries an {@link UpstreamHandler}; all calls happen on
 * {@code loop}.
 */
interface DynoConnections {
    /** An idle kept-alive connection to the dyno, or null. */
    Channel poll(EventLoop loop, WebDyno dyno);

    /** A new connection to the dyno. */
    ChannelFuture connect(EventLoop loop, WebDyno dyno);

    /** Takes back a connection whose exchange ended cleanly (it may be reused). */
    void release(Channel ch, WebDyno dyno);
}

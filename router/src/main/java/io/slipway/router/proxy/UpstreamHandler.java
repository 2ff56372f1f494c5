package io.slipway.router.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The router's end of one connection to a dyno. While an exchange uses it, everything goes to the owning
 * {@link DynoLeg} of the client connection (same event loop); while it sits in the {@link UpstreamPool} it only
 * watches for the dyno closing it.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private DynoLeg owner;
    private ArrayDeque<Channel> pool;
    private long pooledSinceNanos;
    private boolean expiryPending;

    void attach(DynoLeg client) {
        this.owner = client;
    }

    void leavePool() {
        pool = null;
    }

    /** @return whether the pool must schedule an expiry timer (none pending yet) */
    boolean enterPool(ArrayDeque<Channel> queue) {
        owner = null;
        pool = queue;
        pooledSinceNanos = System.nanoTime();
        if (expiryPending) return false;
        expiryPending = true;
        return true;
    }

    boolean inPool() {
        return pool != null;
    }

    long pooledSinceNanos() {
        return pooledSinceNanos;
    }

    void expiryDone() {
        expiryPending = false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DynoLeg o = owner;
        if (o == null) {
            // a dyno talking on an idle connection is out of sync with us: never reuse it
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        o.fromUpstream(ctx.channel(), msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner != null) owner.readComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null) owner.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pool != null) {
            pool.remove(ctx.channel());
            pool = null;
        }
        DynoLeg o = owner;
        owner = null;
        if (o != null) o.closed(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // channelInactive tells the owner
    }
}

package io.slipway.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One side of an upgraded connection (WebSocket or any {@code 101 Switching Protocols}): after the switch, the
 * client's and the dyno's channels each get one of these in place of their HTTP handlers, and raw bytes go
 * across. Reading on one side pauses while the other cannot take more; either side closing closes both, and
 * on the client's side the router's idle window (no bytes from the client for 55 s) closes both too.
 */
final class ByteRelay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    ByteRelay(Channel peer) {
        this.peer = peer;
    }

    /**
     * Replaces the HTTP handlers of both connections by relays, after the dyno's 101 went to the client. The
     * relays go in first: leftover bytes of either decoder come out as raw ByteBufs when it is removed.
     */
    static void takeOver(ChannelHandlerContext clientCtx, ChannelHandler clientHandler, Channel up) {
        Channel client = clientCtx.channel();
        up.pipeline().replace(UpstreamHandler.class, "relay", new ByteRelay(client));
        clientCtx.pipeline().replace(clientHandler, "relay", new ByteRelay(up));
        client.pipeline().remove(ClientHandler.CODEC);
        up.pipeline().remove(UpstreamPool.CODEC);
        client.config().setAutoRead(up.isWritable());
        up.config().setAutoRead(client.isWritable());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg); // the decoder's empty last content after the 101
            return;
        }
        // written beneath the peer's HTTP codec while the switch is still removing it (both pipelines name
        // their codec the same)
        ChannelHandlerContext codec = peer.pipeline().context(ClientHandler.CODEC);
        if (codec != null) codec.writeAndFlush(msg);
        else peer.writeAndFlush(msg);
        if (!peer.isWritable()) ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        peer.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        peer.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // channelInactive closes the peer
    }
}

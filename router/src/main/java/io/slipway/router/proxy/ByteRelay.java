package io.slipway.router.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
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

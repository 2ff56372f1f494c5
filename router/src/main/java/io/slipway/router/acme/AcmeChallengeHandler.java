package io.slipway.router.acme;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.slipway.shared.acme.AcmeChallengesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * On the plain HTTP listener, ahead of the proxy: {@code /.well-known/acme-challenge/<token>} is answered by the
 * router itself (ACM's HTTP-01 validation, as Heroku's router does), with the key authorization the api-server
 * holds for that token and Host, or 404 (also when the api-server cannot answer: the ACME server retries later). The request never reaches a dyno, and nothing else under that path is
 * served. The answer closes the connection, so a pipelined request behind it cannot overtake it. Every other
 * request passes through untouched.
 */
public final class AcmeChallengeHandler extends ChannelInboundHandlerAdapter {
    public static final String NAME = "acme-challenge";
    public static final String PREFIX = "/.well-known/acme-challenge/";
    private final AcmeChallengesClient challenges;
    /** Set once a challenge request is taken: the rest of the connection's input is dropped. */
    private boolean answering;

    public AcmeChallengeHandler(AcmeChallengesClient challenges) {
        this.challenges = challenges;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (answering) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            String path = path(request.uri());
            if (path != null && path.startsWith(PREFIX)) {
                answering = true;
                ctx.channel().config().setAutoRead(false);
                ReferenceCountUtil.release(msg);
                String token = path.substring(PREFIX.length());
                challenges.answer(token, host(request)).whenComplete((answer, e) -> ctx.executor().execute(() ->
                        respond(ctx, answer == null ? Optional.empty() : answer.map(AcmeChallengesClient.KeyAuthorization::value))));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static void respond(ChannelHandlerContext ctx, Optional<String> answer) {
        byte[] body = answer.orElse("Not Found\n").getBytes(StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                answer.isPresent() ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** The path of an origin-form or absolute-form target; null when it is neither. */
    static String path(String uri) {
        if (uri.startsWith("/")) {
            int q = uri.indexOf('?');
            return q < 0 ? uri : uri.substring(0, q);
        }
        try {
            return URI.create(uri).getRawPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The Host header without its port, lower-case ("" when absent). */
    static String host(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "").trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) return host; // an IP literal: no app hostname, the api-server answers 404
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}

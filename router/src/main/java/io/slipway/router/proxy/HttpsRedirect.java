package io.slipway.router.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.slipway.router.acme.AcmeChallengeHandler;
import io.slipway.router.routes.AppRoute;
import io.slipway.router.routes.RouteTable;
import io.slipway.shared.acme.AcmeChallengesClient;

/**
 * The {@code https-only} lab feature: a request for such an app that came in on the plain HTTP listener is
 * answered by the router with a redirect to the same host and target over HTTPS; no dyno is contacted. 301 for
 * GET and HEAD, 308 for other methods (a client repeats the method and body at the new address, which 301 lets
 * it turn into a GET).
 *
 * <p>The scheme is the listener's, never a header: {@code X-Forwarded-Proto} from a client (or from anything in
 * front that is not this router) cannot switch the redirect on or off. ACME HTTP-01 challenges
 * ({@code /.well-known/acme-challenge/}) are never redirected, so certificates can be issued and renewed for an
 * https-only app. Without an HTTPS listener nothing is redirected: there would be nothing to redirect to.
 */
final class HttpsRedirect {
    private static final int DEFAULT_HTTPS_PORT = 443;
    /** The HTTPS port clients reach (what goes into {@code Location}); -1: no HTTPS listener, no redirects. */
    private volatile int httpsPort = -1;

    /** Called once the HTTPS listener is up, with the port clients use for it (the balancer's, behind one). */
    void httpsPort(int port) {
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("bad HTTPS port " + port);
        this.httpsPort = port;
    }

    /** Where to send this plain or HTTPS request for {@code route}'s app, or null when it goes its usual way. */
    String location(Exchange e, AppRoute route) {
        int port = httpsPort;
        if (e.https || !route.httpsOnly() || port < 0) return null;
        if (isChallenge(pathOf(e.path))) return null;
        return location(RouteTable.normalize(e.host), port, e.path.startsWith("/") ? e.path : "/");
    }

    /**
     * {@code https://host[:port]target}: the port only when it is not HTTPS's default. {@code host} is one of the
     * app's own hostnames (the request was routed by it), so nothing a client sent beyond a known name and its
     * request target goes into the header.
     */
    static String location(String host, int port, String target) {
        return "https://" + host + (port == DEFAULT_HTTPS_PORT ? "" : ":" + port) + target;
    }

    /** The router's redirect answer, without a body. */
    static FullHttpResponse response(String method, String location) {
        HttpResponseStatus status = method.equals("GET") || method.equals("HEAD")
                ? HttpResponseStatus.MOVED_PERMANENTLY : HttpResponseStatus.PERMANENT_REDIRECT;
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.LOCATION, location).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }

    /**
     * An HTTP-01 challenge, by the rule the challenge handler asks the api-server with: the prefix and one token
     * ({@link AcmeChallengesClient#isToken}), so a path that only starts like one
     * ({@code /.well-known/acme-challenge/../admin}) is redirected as any other.
     */
    static boolean isChallenge(String path) {
        return path.startsWith(AcmeChallengeHandler.PREFIX)
                && AcmeChallengesClient.isToken(path.substring(AcmeChallengeHandler.PREFIX.length()));
    }

    /** The path of an origin-form target, without its query. */
    private static String pathOf(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }
}

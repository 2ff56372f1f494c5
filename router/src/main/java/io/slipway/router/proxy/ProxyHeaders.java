package io.slipway.router.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import io.netty.util.AsciiString;

/**
 * Header rewriting on the way to the dyno and back, as Heroku's router (vegur) does: hop-by-hop headers
 * (RFC 9110 §7.6.1, plus the ones named in {@code Connection}) stay on their own hop; the dyno learns the
 * client's address, scheme and port from {@code X-Forwarded-*}, gets {@code X-Request-Id},
 * {@code X-Request-Start} and {@code Via: 1.1 vegur}.
 */
final class ProxyHeaders {
    static final String VIA = "1.1 vegur";
    // AsciiString names: hashed once, no per-request String hashing or name validation of our own names
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("X-Forwarded-Port");
    private static final AsciiString X_REQUEST_ID = AsciiString.cached("X-Request-Id");
    private static final AsciiString X_REQUEST_START = AsciiString.cached("X-Request-Start");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final CharSequence[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION,
        HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.UPGRADE
    };

    private ProxyHeaders() {}

    /** The client's address as X-Forwarded-For and the log's {@code fwd} show it; empty when not an IP socket. */
    static String clientIp(java.net.SocketAddress address) {
        if (!(address instanceof java.net.InetSocketAddress remote)) return "";
        return remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    }

    /** A request that asks to switch protocols (WebSocket and friends). */
    static boolean isUpgrade(HttpRequest request) {
        HttpHeaders h = request.headers();
        return h.contains(HttpHeaderNames.UPGRADE)
                && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** The client's request id when it is sane, else a fresh UUID. */
    static String requestId(HttpRequest request) {
        String id = request.headers().get(X_REQUEST_ID);
        return id != null && saneRequestId(id) ? id : randomUuid();
    }

    /** Heroku keeps a client's X-Request-Id when it is 20-200 characters of {@code [A-Za-z0-9+=/_-]}. */
    static boolean saneRequestId(String id) {
        int n = id.length();
        if (n < 20 || n > 200) return false;
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '=' || c == '/' || c == '_' || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    /** A version 4 UUID from the thread's fast generator (request ids need uniqueness, not secrecy). */
    static String randomUuid() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /**
     * Rewrites the client's request for the dyno. The upstream side always speaks HTTP/1.1 with keep-alive
     * (pooled connections); Transfer-Encoding stays, the encoder needs it to frame a chunked body.
     * {@code X-Forwarded-Proto} and {@code -Port} say which listener the request came in on ({@code https}: the TLS
     * one), replacing whatever the client sent: a dyno trusts them to decide on redirects and secure cookies.
     */
    static void toDyno(HttpRequest request, boolean upgrade, String clientIp, boolean https, int port,
                       String requestId, long startMillis) {
        HttpHeaders h = request.headers();
        String upgradeTo = h.get(HttpHeaderNames.UPGRADE);
        stripHopByHop(h);
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            h.set(HttpHeaderNames.UPGRADE, upgradeTo);
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        String xff = h.get(X_FORWARDED_FOR);
        h.set(X_FORWARDED_FOR, xff == null || xff.isBlank() ? clientIp : xff + ", " + clientIp);
        h.set(X_FORWARDED_PROTO, https ? HTTPS : HTTP);
        h.set(X_FORWARDED_PORT, port);
        h.set(X_REQUEST_ID, requestId);
        h.set(X_REQUEST_START, startMillis);
        appendVia(h);
    }

    /**
     * Rewrites the dyno's response for the client: hop-by-hop headers out, our own connection decision in.
     * An HTTP/1.0 client cannot read chunked framing: its body then ends with the connection.
     *
     * @return whether the client connection stays open after this response
     */
    static boolean toClient(HttpResponse response, HttpVersion clientVersion, boolean clientKeepAlive) {
        HttpHeaders h = response.headers();
        boolean keepAlive = clientKeepAlive;
        stripHopByHop(h);
        if (clientVersion.equals(HttpVersion.HTTP_1_0) && HttpUtil.isTransferEncodingChunked(response)) {
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
            keepAlive = false;
        }
        response.setProtocolVersion(clientVersion.equals(HttpVersion.HTTP_1_0) ? HttpVersion.HTTP_1_0
                : HttpVersion.HTTP_1_1);
        if (!keepAlive) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        else if (clientVersion.equals(HttpVersion.HTTP_1_0)) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        appendVia(h);
        return keepAlive;
    }

    /** The router's own answer (an error page): the client's HTTP version, our connection decision. */
    static void localAnswer(HttpResponse page, HttpVersion clientVersion, boolean clientKeepAlive) {
        boolean http10 = clientVersion.equals(HttpVersion.HTTP_1_0);
        if (!clientKeepAlive) page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        else if (http10) page.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        page.setProtocolVersion(http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
    }

    /** The dyno's 101: hop-by-hop headers out, but the switch itself is what the client asked for. */
    static void upgradeToClient(HttpResponse response) {
        HttpHeaders h = response.headers();
        String upgradeTo = h.get(HttpHeaderNames.UPGRADE);
        stripHopByHop(h);
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        if (upgradeTo != null) h.set(HttpHeaderNames.UPGRADE, upgradeTo);
        appendVia(h);
    }

    private static void stripHopByHop(HttpHeaders h) {
        if (namesOtherHeaders(h)) stripNamedInConnection(h);
        for (CharSequence name : HOP_BY_HOP) h.remove(name);
    }

    /** Whether {@code Connection} names anything beyond the usual keep-alive/close (the common, cheap case). */
    private static boolean namesOtherHeaders(HttpHeaders h) {
        java.util.Iterator<? extends CharSequence> values = h.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
        while (values.hasNext()) {
            CharSequence v = values.next();
            if (!AsciiString.contentEqualsIgnoreCase(v, HttpHeaderValues.KEEP_ALIVE)
                    && !AsciiString.contentEqualsIgnoreCase(v, HttpHeaderValues.CLOSE)) {
                return true;
            }
        }
        return false;
    }

    private static void stripNamedInConnection(HttpHeaders h) {
        List<String> named = new ArrayList<>();
        for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) named.add(t);
            }
        }
        for (String name : named) {
            // the framing headers are ours to decide: naming them in Connection must not unframe a body
            if (!name.equalsIgnoreCase("transfer-encoding") && !name.equalsIgnoreCase("content-length")
                    && !name.equalsIgnoreCase("host")) {
                h.remove(name);
            }
        }
    }

    private static void appendVia(HttpHeaders h) {
        String via = h.get(HttpHeaderNames.VIA);
        h.set(HttpHeaderNames.VIA, via == null || via.isBlank() ? VIA : via + ", " + VIA);
    }
}

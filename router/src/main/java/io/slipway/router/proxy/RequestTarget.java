package io.slipway.router.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Absolute-form request targets ({@code GET http://app.example.com/path HTTP/1.1}, RFC 9112 3.2.2), which clients
 * send to proxies and servers must accept: the target's host wins over the Host header, and the request goes on
 * to the dyno in origin-form with a Host made from the target. Only {@code http} and {@code https} targets are
 * absolute-form here; origin-form ({@code /path}), {@code *} and authority-form pass through unchanged.
 */
final class RequestTarget {
    private RequestTarget() {}

    /**
     * Rewrites an absolute-form request in place: origin-form target, Host from the target's authority (RFC 9112
     * 3.2.2: a proxy replaces the received Host). False when the target names no usable host (answer 400).
     */
    static boolean toOriginForm(HttpRequest request) {
        String uri = request.uri();
        if (!isAbsolute(uri)) return true;
        String authority = authority(uri);
        if (authority == null) return false;
        request.setUri(originForm(uri));
        request.headers().set(HttpHeaderNames.HOST, authority);
        return true;
    }

    /** Whether {@code uri} is an http(s) absolute-form target; one character test for the usual origin-form. */
    static boolean isAbsolute(String uri) {
        if (uri.isEmpty() || uri.charAt(0) == '/') return false;
        return uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8);
    }

    private static int authorityStart(String uri) {
        return uri.indexOf("://") + 3;
    }

    private static int authorityEnd(String uri) {
        int start = authorityStart(uri);
        for (int i = start; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?' || c == '#') return i;
        }
        return uri.length();
    }

    /**
     * The target's {@code host[:port]} as sent, or null when it has none or carries user information (which
     * RFC 9110 4.2.4 deprecates for http: the router refuses it rather than guess).
     */
    static String authority(String absolute) {
        String a = absolute.substring(authorityStart(absolute), authorityEnd(absolute));
        if (a.isEmpty() || a.indexOf('@') >= 0 || a.charAt(0) == ':') return null;
        return a;
    }

    /** The path and query for the dyno: {@code /} when the target has no path; a fragment is dropped. */
    static String originForm(String absolute) {
        int end = authorityEnd(absolute);
        int hash = absolute.indexOf('#', end);
        String rest = hash < 0 ? absolute.substring(end) : absolute.substring(end, hash);
        return rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest;
    }
}

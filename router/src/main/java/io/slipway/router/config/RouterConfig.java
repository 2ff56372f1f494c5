package io.slipway.router.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the router needs, read once from the environment ({@link #fromEnv}). Tests build one directly
 * with short timeouts.
 *
 * @param apiUrl         the api-server's internal listener, serving {@code /internal/routes}, the event stream and
 *                       {@code /internal/logs}
 * @param internalToken  this router's own component token (role {@code router})
 * @param caFile         extra CA (PEM) trusted for the api-server, or null
 * @param bind           listen address (default 0.0.0.0)
 * @param port           listen port (default 8080; 0 = ephemeral, see {@code Router.port()})
 * @param threads        worker event loops; each client connection and its upstream connections share one
 * @param connectTimeout opening a TCP connection to a dyno (Heroku: 5 s, then H19)
 * @param firstByteTimeout request sent → first response byte (Heroku: 30 s, then H12)
 * @param idleTimeout    rolling window without any byte either way (Heroku: 55 s, then H15 and close)
 * @param bootTimeout    how long a request for an app whose web dynos are all still booting waits for one to come
 *                       up (Heroku: 75 s, then H20)
 * @param tls            the HTTPS listener, or null for none
 * @param proxyProtocol  whether every connection to either listener must start with a PROXY protocol header (v1
 *                       or v2) from the balancer in front, whose source address is then the client's; off: the
 *                       socket's peer is the client (io.slipway.router.proxy.ProxyProtocol)
 */
public record RouterConfig(URI apiUrl, String internalToken, Path caFile, String bind, int port, int threads,
                           Duration connectTimeout, Duration firstByteTimeout, Duration idleTimeout,
                           Duration bootTimeout, Tls tls, boolean proxyProtocol) {

    /**
     * The HTTPS listener: its port (0 = ephemeral, see {@code Router.tlsPort()}) and the operator's default
     * certificate (PEM chain, leaf first) and key (PEM, PKCS#8), served for every name no app endpoint claims,
     * typically a wildcard for the apps domain ({@code *.<apps domain>}). {@code publicPort}: the HTTPS port clients
     * reach, where https-only apps' plain requests are redirected (omitted from the address when 443); 0 = the
     * listener's own port. Behind a balancer it is the balancer's.
     */
    public record Tls(int port, Path certFile, Path keyFile, int publicPort) {
        public Tls(int port, Path certFile, Path keyFile) {
            this(port, certFile, keyFile, 0);
        }

        public Tls {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("bad router TLS port " + port);
            if (publicPort < 0 || publicPort > 65535) {
                throw new IllegalArgumentException("bad SLIPWAY_ROUTER_TLS_PUBLIC_PORT " + publicPort);
            }
            if (certFile == null || keyFile == null) {
                throw new IllegalArgumentException("SLIPWAY_ROUTER_TLS_PORT needs SLIPWAY_ROUTER_TLS_CERT_FILE and"
                        + " SLIPWAY_ROUTER_TLS_KEY_FILE (the default certificate, e.g. a wildcard for the apps domain)");
            }
        }
    }

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(55);
    public static final Duration DEFAULT_BOOT_TIMEOUT = Duration.ofSeconds(75);

    public RouterConfig {
        if (apiUrl == null) {
            throw new IllegalArgumentException("SLIPWAY_INTERNAL_API_URL is required (the api-server's internal listener)");
        }
        if (internalToken == null || internalToken.isBlank()) {
            throw new IllegalArgumentException("SLIPWAY_INTERNAL_TOKEN is required");
        }
        if (bind == null || bind.isBlank()) bind = "0.0.0.0";
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad router port " + port);
        if (threads <= 0) threads = Runtime.getRuntime().availableProcessors();
        if (bootTimeout == null) bootTimeout = DEFAULT_BOOT_TIMEOUT;
    }

    /** Defaults for everything but the api-server: ephemeral port, default timeouts. */
    public static RouterConfig of(URI apiUrl, String internalToken) {
        return new RouterConfig(apiUrl, internalToken, null, "127.0.0.1", 0, 0,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_FIRST_BYTE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_BOOT_TIMEOUT, null,
                false);
    }

    public RouterConfig withTimeouts(Duration connect, Duration firstByte, Duration idle) {
        return new RouterConfig(apiUrl, internalToken, caFile, bind, port, threads, connect, firstByte, idle,
                bootTimeout, tls, proxyProtocol);
    }

    public RouterConfig withBootTimeout(Duration boot) {
        return new RouterConfig(apiUrl, internalToken, caFile, bind, port, threads, connectTimeout, firstByteTimeout,
                idleTimeout, boot, tls, proxyProtocol);
    }

    public RouterConfig withThreads(int n) {
        return new RouterConfig(apiUrl, internalToken, caFile, bind, port, n, connectTimeout, firstByteTimeout,
                idleTimeout, bootTimeout, tls, proxyProtocol);
    }

    public RouterConfig withListen(String bindAddress, int listenPort) {
        return new RouterConfig(apiUrl, internalToken, caFile, bindAddress, listenPort, threads, connectTimeout,
                firstByteTimeout, idleTimeout, bootTimeout, tls, proxyProtocol);
    }

    /** The same with an HTTPS listener ({@code null}: none). */
    public RouterConfig withTls(Tls https) {
        return new RouterConfig(apiUrl, internalToken, caFile, bind, port, threads, connectTimeout, firstByteTimeout,
                idleTimeout, bootTimeout, https, proxyProtocol);
    }

    /** The same with the PROXY protocol required on both listeners, or not. */
    public RouterConfig withProxyProtocol(boolean required) {
        return new RouterConfig(apiUrl, internalToken, caFile, bind, port, threads, connectTimeout, firstByteTimeout,
                idleTimeout, bootTimeout, tls, required);
    }

    /**
     * SLIPWAY_INTERNAL_API_URL (the api-server's internal listener), SLIPWAY_INTERNAL_TOKEN (this router's own token,
     * role {@code router}), SLIPWAY_CA_FILE, SLIPWAY_ROUTER_BIND, SLIPWAY_ROUTER_PORT,
     * SLIPWAY_ROUTER_THREADS, and (seconds) SLIPWAY_ROUTER_CONNECT_TIMEOUT, SLIPWAY_ROUTER_FIRST_BYTE_TIMEOUT,
     * SLIPWAY_ROUTER_IDLE_TIMEOUT, SLIPWAY_ROUTER_BOOT_TIMEOUT; the HTTPS listener (off when the port is unset):
     * SLIPWAY_ROUTER_TLS_PORT, SLIPWAY_ROUTER_TLS_CERT_FILE, SLIPWAY_ROUTER_TLS_KEY_FILE,
     * SLIPWAY_ROUTER_TLS_PUBLIC_PORT (the HTTPS port in redirects, default the listener's); and
     * SLIPWAY_ROUTER_PROXY_PROTOCOL ({@code v2}, {@code v1} or {@code on}: the header is required, either version
     * accepted; {@code off} or unset: none).
     */
    public static RouterConfig fromEnv(Map<String, String> env) {
        String api = env.get("SLIPWAY_INTERNAL_API_URL");
        String ca = env.get("SLIPWAY_CA_FILE");
        return new RouterConfig(
                api == null || api.isBlank() ? null : URI.create(api.trim()),
                env.get("SLIPWAY_INTERNAL_TOKEN"),
                ca == null || ca.isBlank() ? null : Path.of(ca.trim()),
                env.getOrDefault("SLIPWAY_ROUTER_BIND", "0.0.0.0"),
                intOf(env, "SLIPWAY_ROUTER_PORT", 8080),
                intOf(env, "SLIPWAY_ROUTER_THREADS", 0),
                seconds(env, "SLIPWAY_ROUTER_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
                seconds(env, "SLIPWAY_ROUTER_FIRST_BYTE_TIMEOUT", DEFAULT_FIRST_BYTE_TIMEOUT),
                seconds(env, "SLIPWAY_ROUTER_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
                seconds(env, "SLIPWAY_ROUTER_BOOT_TIMEOUT", DEFAULT_BOOT_TIMEOUT),
                tlsOf(env),
                proxyProtocolOf(env.get("SLIPWAY_ROUTER_PROXY_PROTOCOL")));
    }

    /** A typo must not silently leave the header off (every client would be the balancer) or on. */
    private static boolean proxyProtocolOf(String v) {
        if (v == null || v.isBlank()) return false;
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "v1", "v2", "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("SLIPWAY_ROUTER_PROXY_PROTOCOL must be v2, v1, on or off, not "
                    + v);
        };
    }

    private static Tls tlsOf(Map<String, String> env) {
        String port = env.get("SLIPWAY_ROUTER_TLS_PORT");
        if (port == null || port.isBlank()) return null;
        return new Tls(intOf(env, "SLIPWAY_ROUTER_TLS_PORT", 0), pathOf(env, "SLIPWAY_ROUTER_TLS_CERT_FILE"),
                pathOf(env, "SLIPWAY_ROUTER_TLS_KEY_FILE"), intOf(env, "SLIPWAY_ROUTER_TLS_PUBLIC_PORT", 0));
    }

    private static Path pathOf(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }

    /**
     * SLIPWAY_ROUTER_ROUTES_WAIT (seconds, default 30): how long a starting router waits for its route table
     * before it listens, so that a restarted router serves its routes from its first request.
     */
    public static Duration routesWait(Map<String, String> env) {
        return seconds(env, "SLIPWAY_ROUTER_ROUTES_WAIT", Duration.ofSeconds(30));
    }

    private static int intOf(Map<String, String> env, String key, int fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not " + v);
        }
    }

    private static Duration seconds(Map<String, String> env, String key, Duration fallback) {
        int s = intOf(env, key, -1);
        return s <= 0 ? fallback : Duration.ofSeconds(s);
    }
}

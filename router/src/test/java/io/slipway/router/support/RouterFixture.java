package io.slipway.router.support;

import io.slipway.router.Router;
import io.slipway.router.config.RouterConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** An api stub, a real router following it, and a JDK client that sends any Host header to the router. */
public final class RouterFixture implements AutoCloseable {
    public final ApiStub api;
    public final Router router;
    public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<AutoCloseable> owned = new ArrayList<>();

    public RouterFixture(Duration firstByteTimeout, boolean waitForRoutes) throws Exception {
        this(firstByteTimeout, Duration.ofSeconds(55), waitForRoutes);
    }

    public RouterFixture(Duration firstByteTimeout, Duration idleTimeout, boolean waitForRoutes) throws Exception {
        this(firstByteTimeout, idleTimeout, RouterConfig.DEFAULT_BOOT_TIMEOUT, waitForRoutes);
    }

    public RouterFixture(Duration firstByteTimeout, Duration idleTimeout, Duration bootTimeout, boolean waitForRoutes)
            throws Exception {
        this(firstByteTimeout, idleTimeout, bootTimeout, waitForRoutes, null, true, true, UnaryOperator.identity());
    }

    /** A router whose api-server answers 503 to {@code GET /internal/routes} from the start (still starting). */
    public static RouterFixture withRoutesUnavailable() throws Exception {
        return new RouterFixture(Duration.ofSeconds(30), Duration.ofSeconds(55), RouterConfig.DEFAULT_BOOT_TIMEOUT,
                false, null, true, false, UnaryOperator.identity());
    }

    /** A router with an HTTPS listener on an ephemeral port serving {@code tls}'s default certificate. */
    public RouterFixture(RouterConfig.Tls tls, boolean tlsApi) throws Exception {
        this(Duration.ofSeconds(30), Duration.ofSeconds(55), RouterConfig.DEFAULT_BOOT_TIMEOUT, true, tls, tlsApi, true,
                UnaryOperator.identity());
    }

    /** A router behind a balancer: both listeners (HTTPS with {@code tls}) require a PROXY protocol header. */
    public static RouterFixture withProxyProtocol(RouterConfig.Tls tls) throws Exception {
        return new RouterFixture(Duration.ofSeconds(30), Duration.ofSeconds(55), RouterConfig.DEFAULT_BOOT_TIMEOUT,
                true, tls, true, true, c -> c.withProxyProtocol(true));
    }

    /** The same listening on {@code bind}:{@code port} (HTTPS on {@code tls}'s port), as a balancer expects it. */
    public static RouterFixture withProxyProtocol(RouterConfig.Tls tls, String bind, int port) throws Exception {
        return new RouterFixture(Duration.ofSeconds(30), Duration.ofSeconds(55), RouterConfig.DEFAULT_BOOT_TIMEOUT,
                true, tls, true, true, c -> c.withProxyProtocol(true).withListen(bind, port));
    }

    private RouterFixture(Duration firstByteTimeout, Duration idleTimeout, Duration bootTimeout, boolean waitForRoutes,
                          RouterConfig.Tls tls, boolean tlsApi, boolean routesAvailable,
                          UnaryOperator<RouterConfig> custom)
            throws Exception {
        api = new ApiStub();
        api.tlsApi(tlsApi);
        api.routesAvailable(routesAvailable); // before the router starts: it asks at once
        RouterConfig config = custom.apply(RouterConfig.of(api.url(), ApiStub.TOKEN)
                .withTimeouts(Duration.ofSeconds(2), firstByteTimeout, idleTimeout)
                .withBootTimeout(bootTimeout)
                .withThreads(2)
                .withTls(tls));
        router = new Router(config).start();
        if (waitForRoutes) Await.until("routes loaded", router::routesLoaded);
    }

    public RouterFixture() throws Exception {
        this(Duration.ofSeconds(30), true);
    }

    public Upstream upstream(String name) throws IOException {
        Upstream u = new Upstream(name);
        owned.add(u);
        return u;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + router.port() + path);
    }

    public HttpResponse<String> get(String host, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Host", host).timeout(Duration.ofSeconds(60))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        router.close();
        api.close();
        for (AutoCloseable c : owned) c.close();
    }
}

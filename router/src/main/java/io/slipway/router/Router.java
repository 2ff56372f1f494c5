package io.slipway.router;

import io.slipway.router.config.RouterConfig;
import io.slipway.router.logging.AccessLog;
import io.slipway.router.proxy.ProxyServer;
import io.slipway.router.routes.FollowedState;
import io.slipway.router.routes.RouteFollower;
import io.slipway.router.routes.RouteTable;
import io.slipway.router.routes.RoutesClient;
import io.slipway.router.tls.CertificateStore;
import io.slipway.router.tls.TlsContexts;
import io.slipway.router.tls.TlsFollower;
import io.slipway.router.tls.TlsListener;
import io.slipway.shared.acme.AcmeChallengesClient;
import io.slipway.shared.events.EventStreamClient;
import io.slipway.shared.http.TrustedHttpClients;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.logs.LogShipper;
import io.slipway.shared.tls.TlsClient;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The router, embeddable (the launcher runs it in-process; {@link RouterMain} standalone):
 * {@link #start()} listens at once and loads routes in the background (answering 503 until they arrive);
 * {@link #start(Duration)} first waits (bounded) for the routes, so a restarted router behind a balancer never
 * answers 503 for apps that are up. {@link #port()} is where it listens ({@link #tlsPort()} for HTTPS, when
 * configured), {@link #close()} stops everything.
 */
public final class Router implements AutoCloseable {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Router.class.getName());
    private final RouterConfig config;
    private final RouteTable table = new RouteTable();
    private LogShipper logs;
    private RouteFollower follower;
    private ProxyServer proxy;
    private int port = -1;
    private CertificateStore certificates;
    private int tlsPort = -1;

    public Router(RouterConfig config) {
        this.config = config;
    }

    public Router start() throws InterruptedException {
        return start(Duration.ZERO);
    }

    /**
     * Loads the route table first, waiting for it up to {@code routesWait}, then listens. Past the wait (the
     * api-server is away) it listens anyway: 503 until the table arrives, and the last routes from then on.
     */
    public synchronized Router start(Duration routesWait) throws InterruptedException {
        if (proxy != null || follower != null) throw new IllegalStateException("already started");
        HttpClient http = TrustedHttpClients.create(config.caFile());
        InternalTransport api = new InternalTransport(config.apiUrl(), config.internalToken(), http);
        logs = new LogShipper(config.apiUrl(), config.internalToken(), http);
        EventStreamClient events = EventStreamClient.builder(config.apiUrl(), config.internalToken())
                .httpClient(streamClient()).build();
        java.util.List<FollowedState> others = new java.util.ArrayList<>();
        if (config.tls() != null) {
            // the default certificate first: a bad file fails the start instead of every handshake
            certificates = new CertificateStore(TlsContexts.fromFiles(config.tls().certFile(), config.tls().keyFile()));
            others.add(new TlsFollower(new TlsClient(api), certificates));
        }
        follower = new RouteFollower(new RoutesClient(config.apiUrl(), config.internalToken(), http), events, table,
                others);
        follower.start();
        if (!routesWait.isZero() && !table.awaitLoaded(routesWait)) {
            LOG.warning("no route table after " + routesWait.toSeconds() + " s: listening anyway (503 until it loads)");
        }
        // ACM's HTTP-01 challenges are answered by the router itself, on the plain listener (docs/certificates.md)
        proxy = new ProxyServer(config, table, new AccessLog(logs), new AcmeChallengesClient(api));
        port = proxy.start();
        if (certificates != null) {
            try {
                tlsPort = proxy.listen(config.tls().port(), pipelines -> TlsListener.initializer(certificates, pipelines));
                int publicPort = config.tls().publicPort();
                proxy.redirectHttpsTo(publicPort > 0 ? publicPort : tlsPort); // https-only apps' redirects go here
            } catch (Exception e) { // Netty's bind failure is a checked exception thrown undeclared
                close(); // a router without the HTTPS it was asked for does not half-run (e.g. the port is taken)
                throw e;
            }
        }
        return this;
    }

    /** The event stream wants HTTP/1.1 (no h2c upgrade attempt on a long-lived response), same trust. */
    private HttpClient streamClient() {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (config.caFile() != null) b.sslContext(TrustedHttpClients.sslContextTrusting(config.caFile()));
        return b.build();
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        return port;
    }

    /** The HTTPS port listened on, or -1 without a TLS listener. */
    public int tlsPort() {
        return tlsPort;
    }

    /** Whether the first route table arrived. */
    public boolean routesLoaded() {
        return table.loaded();
    }

    @Override
    public synchronized void close() {
        if (follower != null) follower.close();
        if (proxy != null) proxy.close();
        if (logs != null) logs.close();
    }
}

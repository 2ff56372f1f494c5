package io.slipway.router.proxy;

import io.slipway.router.acme.AcmeChallengeHandler;
import io.slipway.shared.acme.AcmeChallengesClient;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Ticker;
import io.slipway.router.config.RouterConfig;
import io.slipway.router.logging.AccessLog;
import io.slipway.router.routes.RouteTable;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The listening side: one acceptor thread, {@code threads} worker event loops shared by every listener (plain
 * HTTP, and TLS when configured, see {@link #listen}). Each accepted HTTP/1 connection gets an idle timer (Heroku's
 * 55 s window: the handler watches client reads, {@link ClientHandler} the rest; a reader-only timer adds no
 * listener to every write), an HTTP codec limiting the request line and the headers to 8 KB each (Heroku's limits),
 * and a {@link ClientHandler} (see {@link ClientPipelines}).
 */
public final class ProxyServer implements AutoCloseable {
    static final int MAX_REQUEST_LINE = 8 * 1024;
    static final int MAX_HEADERS = 8 * 1024;

    /** How long a dyno that refused a connection is skipped (its app's other dynos take the requests). */
    static final java.time.Duration FAILED_DYNO_COOLDOWN = java.time.Duration.ofSeconds(10);
    private final RouterConfig config;
    private final ProxyContext context;
    private final HttpsRedirect redirects = new HttpsRedirect();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private final ClientPipelines pipelines;
    private final java.util.List<Channel> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Answers ACME HTTP-01 challenges on the plain listener; null: none (every request goes to the apps). */
    private final AcmeChallengesClient challenges;

    public ProxyServer(RouterConfig config, RouteTable table, AccessLog accessLog) {
        this(config, table, accessLog, null);
    }

    public ProxyServer(RouterConfig config, RouteTable table, AccessLog accessLog, AcmeChallengesClient challenges) {
        this.config = config;
        this.challenges = challenges;
        this.context = new ProxyContext(new Admission(table, config.bootTimeout().toNanos(), redirects),
                new UpstreamPool(config.connectTimeout()), accessLog::log, config.firstByteTimeout().toNanos(),
                config.idleTimeout().toNanos(),
                new DynoChoice(new FailedDynos(FAILED_DYNO_COOLDOWN, Ticker.systemTicker())));
        this.pipelines = new ClientPipelines(context, config.idleTimeout().toMillis());
    }

    /** Binds the plain HTTP listener and returns the port actually listened on. */
    public int start() throws InterruptedException {
        boss = Transport.group(1, "router-accept");
        workers = Transport.group(config.threads(), "router-worker");
        return listen(config.port(), pipelines -> new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                pipelines.http1(ch.pipeline(), false);
                if (challenges != null) {
                    ch.pipeline().addBefore("client", AcmeChallengeHandler.NAME, new AcmeChallengeHandler(challenges));
                }
            }
        });
    }

    /**
     * Binds one more listener (the TLS one) on the same event loops and bind address, its connections set up by
     * the handler {@code initializer} makes (behind the PROXY protocol header when the config asks for it, see
     * {@link ProxyProtocol}); returns the port actually listened on.
     */
    public synchronized int listen(int port, Function<ClientPipelines, ChannelHandler> initializer)
            throws InterruptedException {
        if (workers == null) throw new IllegalStateException("not started");
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(config.proxyProtocol() ? ProxyProtocol.required(initializer.apply(pipelines))
                        : initializer.apply(pipelines));
        Channel server = b.bind(config.bind(), port).sync().channel();
        servers.add(server);
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Once the HTTPS listener is up: the port clients reach it on (the balancer's, behind one), which redirects of
     * https-only apps name (see {@link HttpsRedirect}). Until then nothing is redirected.
     */
    public void redirectHttpsTo(int publicPort) {
        redirects.httpsPort(publicPort);
    }

    @Override
    public void close() {
        for (Channel server : servers) server.close().awaitUninterruptibly();
        if (boss != null) boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}

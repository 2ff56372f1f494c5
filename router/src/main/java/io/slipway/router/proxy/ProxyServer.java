package io.slipway.router.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Ticker;
import io.slipway.router.config.RouterConfig;
import io.slipway.router.logging.AccessLog;
import io.slipway.router.routes.RouteTable;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The listening side: one acceptor thread, {@code threads} worker event loops. Each accepted connection gets
 * an idle timer (Heroku's 55 s window: the handler watches client reads, {@link ClientHandler} the rest; a
 * reader-only timer adds no listener to every write), an HTTP codec limiting the request line and the headers to 8 KB
 * each (Heroku's limits), and a {@link ClientHandler}.
 */
public final class ProxyServer implements AutoCloseable {
    static final int MAX_REQUEST_LINE = 8 * 1024;
    static final int MAX_HEADERS = 8 * 1024;

    /** How long a dyno that refused a connection is skipped (its app's other dynos take the requests). */
    static final java.time.Duration FAILED_DYNO_COOLDOWN = java.time.Duration.ofSeconds(10);
    private final RouterConfig config;
    private final ProxyContext context;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel server;

    public ProxyServer(RouterConfig config, RouteTable table, AccessLog accessLog) {
        this.config = config;
        this.context = new ProxyContext(new Admission(table, config.bootTimeout().toNanos()),
                new UpstreamPool(config.connectTimeout()), accessLog::log, config.firstByteTimeout().toNanos(),
                config.idleTimeout().toNanos(),
                new DynoChoice(new FailedDynos(FAILED_DYNO_COOLDOWN, Ticker.systemTicker())));
    }

    /** Binds and returns the port actually listened on. */
    public int start() throws InterruptedException {
        boss = Transport.group(1, "router-accept");
        workers = Transport.group(config.threads(), "router-worker");
        long idleMillis = config.idleTimeout().toMillis();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        HttpDecoderConfig limits = new HttpDecoderConfig()
                                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                                .setMaxHeaderSize(MAX_HEADERS)
                                .setMaxChunkSize(64 * 1024);
                        ch.pipeline()
                                .addLast(ClientHandler.IDLE, new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(ClientHandler.CODEC, new HttpServerCodec(limits))
                                .addLast("client", new ClientHandler(context));
                    }
                });
        server = b.bind(config.bind(), config.port()).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (server != null) server.close().awaitUninterruptibly();
        if (boss != null) boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}

package io.slipway.router;

import io.slipway.router.config.RouterConfig;
import java.util.logging.Logger;

/** Runs the router standalone, configured from the environment (see {@link RouterConfig#fromEnv}). */
public final class RouterMain {
    private static final Logger LOG = Logger.getLogger(RouterMain.class.getName());

    private RouterMain() {}

    public static void main(String[] args) throws Exception {
        // Netty's sampled leak tracking records a stack trace every ~128 buffers: worth it in tests, not here
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        RouterConfig config = RouterConfig.fromEnv(System.getenv());
        Router router = new Router(config).start(RouterConfig.routesWait(System.getenv()));
        LOG.info("router listening on " + config.bind() + ":" + router.port()
                + (router.tlsPort() < 0 ? "" : " and (HTTPS, " + io.slipway.router.tls.TlsContexts.provider() + ") :"
                        + router.tlsPort())
                + " with " + config.threads() + " worker threads; api-server " + config.apiUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(router::close, "router-shutdown"));
        io.slipway.shared.jvm.JitPriority.raiseAfterStart(); // the JIT's threads ahead of the event loops (why: there)
        Thread.currentThread().join();
    }
}

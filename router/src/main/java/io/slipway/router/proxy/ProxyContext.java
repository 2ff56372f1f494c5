package io.slipway.router.proxy;

import io.slipway.router.logging.AccessLog;
import java.util.function.Consumer;

/** What every client connection's handler shares; {@code accessLog} takes each request's router line. */
record ProxyContext(Admission admission, DynoConnections pool, Consumer<AccessLog.Entry> accessLog,
                    long firstByteTimeoutNanos, long idleNanos, DynoChoice dynos) {}

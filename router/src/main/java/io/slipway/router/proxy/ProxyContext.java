package io.slipway.router.proxy;

import io.slipway.router.logging.AccessLog;
import io.slipway.router.routes.RouteTable;
import java.time.Duration;

/** What every client connection's handler shares. */
record ProxyContext(RouteTable table, UpstreamPool pool, AccessLog accessLog, Duration firstByteTimeout,
                    long idleNanos, FailedDynos failedDynos) {}

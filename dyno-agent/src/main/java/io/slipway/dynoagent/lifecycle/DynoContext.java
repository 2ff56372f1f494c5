package io.slipway.dynoagent.lifecycle;

import io.slipway.dynoagent.api.AgentApiClient;
import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.drivers.DynoDriver;
import io.slipway.dynoagent.slugs.SlugCache;
import io.slipway.shared.logs.LogShipper;
import javax.net.ssl.SSLContext;

/** What every dyno's supervisor shares on one agent. */
public record DynoContext(
        AgentConfig config,
        DynoDriver driver,
        SlugCache slugs,
        PortAllocator ports,
        AgentApiClient api,
        LogShipper logs,
        SSLContext attachTls) {}

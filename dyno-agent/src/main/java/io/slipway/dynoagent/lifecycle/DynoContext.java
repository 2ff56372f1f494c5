package io.slipway.dynoagent.lifecycle;

import io.slipway.shared.agents.AgentsClient;
import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.drivers.DynoDriver;
import io.slipway.dynoagent.images.ImageRoots;
import io.slipway.dynoagent.slugs.SlugCache;
import io.slipway.shared.logs.LogShipper;
import javax.net.ssl.SSLContext;

/** What every dyno's supervisor shares on one agent. */
public record DynoContext(
        AgentConfig config,
        DynoDriver driver,
        SlugCache slugs,
        PortAllocator ports,
        AgentsClient api,
        LogShipper logs,
        SSLContext attachTls,
        ImageRoots images) {

    /** Without a shared image cache of the caller's: image roots under the agent's data directory. */
    public DynoContext(AgentConfig config, DynoDriver driver, SlugCache slugs, PortAllocator ports, AgentsClient api,
                       LogShipper logs, SSLContext attachTls) {
        this(config, driver, slugs, ports, api, logs, attachTls, ImageRoots.under(config.dataDir(),
                java.net.http.HttpClient.newHttpClient()));
    }
}

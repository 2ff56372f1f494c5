package io.slipway.dynoagent;

import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.drivers.DynoDriver;
import io.slipway.dynoagent.images.ImageRoots;
import io.slipway.dynoagent.lifecycle.DynoContext;
import io.slipway.dynoagent.lifecycle.PortAllocator;
import io.slipway.dynoagent.slugs.SlugCache;
import io.slipway.shared.events.EventStreamClient;
import io.slipway.shared.http.TrustedHttpClients;
import io.slipway.shared.logs.LogShipper;
import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;

/**
 * The parts of one agent, built from its {@link AgentConfig}: the api-server client (trusting the platform's CA),
 * the log shipper, the event stream, and what every dyno's supervisor shares ({@link DynoContext}). Building
 * them starts nothing; {@link DynoAgent} starts and stops them.
 */
record AgentParts(AgentsClient api, LogShipper logs, EventStreamClient events, DynoContext dynos) {

    static AgentParts build(AgentConfig config, DynoDriver driver) {
        HttpClient http = TrustedHttpClients.create(config.caFile());
        AgentsClient api = new AgentsClient(new InternalTransport(config.apiUrl(), config.internalToken(), http), config.agentId());
        LogShipper logs = new LogShipper(config.apiUrl(), config.internalToken(), http);
        DynoContext context = new DynoContext(config, driver, new SlugCache(config.dataDir().resolve("slugs"), http),
                new PortAllocator(config.portFrom(), config.portTo()), api, logs, attachTls(config),
                ImageRoots.under(config.dataDir(), http));
        // its own client: the long-lived stream must not share a connection pool with short calls
        EventStreamClient events = EventStreamClient.builder(config.apiUrl(), config.internalToken())
                .httpClient(TrustedHttpClients.create(config.caFile())).build();
        return new AgentParts(api, logs, events, context);
    }

    /** The TLS the attach rendezvous is reached with: the platform's CA when given, else the JVM's. */
    private static SSLContext attachTls(AgentConfig config) {
        if (config.caFile() != null) return TrustedHttpClients.sslContextTrusting(config.caFile());
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.slipway.api.sniendpoints;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.domains.Domain;
import io.slipway.api.domains.DomainRepository;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku certs:remove}: the endpoint and its key are deleted; its domains stay, detached (each gets a
 * {@code domain.updated} with a null {@code sni_endpoint}, and the router stops serving the certificate).
 */
@Service
public class DeleteSniEndpoint {
    private final AppAccess access;
    private final AppSniEndpoints appEndpoints;
    private final CertificateChains chains;
    private final DomainRepository domains;
    private final SniEndpointRepository endpoints;
    private final EventLog events;

    public DeleteSniEndpoint(AppAccess access, AppSniEndpoints appEndpoints, CertificateChains chains,
                             DomainRepository domains, SniEndpointRepository endpoints, EventLog events) {
        this.access = access;
        this.appEndpoints = appEndpoints;
        this.chains = chains;
        this.domains = domains;
        this.endpoints = endpoints;
        this.events = events;
    }

    @Transactional
    public AppSniEndpoints.View delete(Caller caller, String appIdentity, String identity) {
        App app = access.visible(caller, appIdentity);
        SniEndpoint endpoint = appEndpoints.findLocked(app, identity);
        List<Domain> attached = domains.findBySniEndpointIdOrderByHostname(endpoint.id());
        for (Domain d : attached) {
            d.useSniEndpoint(null);
            Map<String, Object> payload = new HashMap<>();
            payload.put("hostname", d.hostname());
            payload.put("sni_endpoint", null);
            events.append(EventTypes.DOMAIN_UPDATED, app.id(), app.name(), payload);
        }
        domains.saveAllAndFlush(attached);
        endpoints.delete(endpoint);
        endpoints.flush();
        events.append(EventTypes.SNI_ENDPOINT_DELETED, app.id(), app.name(),
                Map.of("id", endpoint.id().toString(), "name", endpoint.name()));
        return new AppSniEndpoints.View(app, endpoint, chains.details(endpoint.certificateChain()), List.of());
    }
}

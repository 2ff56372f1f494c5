package io.slipway.api.sniendpoints;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.domains.Domain;
import io.slipway.api.domains.DomainRepository;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku certs:update server.crt server.key}: replaces an endpoint's certificate and key (a renewal). The
 * new certificate must still cover every domain pointing at the endpoint, so an update never leaves a hostname
 * served with a certificate not valid for it.
 */
@Service
public class UpdateSniEndpoint {
    private final AppAccess access;
    private final AppSniEndpoints appEndpoints;
    private final CertificateChains chains;
    private final DomainRepository domains;
    private final SniEndpointRepository endpoints;
    private final EventLog events;

    public UpdateSniEndpoint(AppAccess access, AppSniEndpoints appEndpoints, CertificateChains chains,
                             DomainRepository domains, SniEndpointRepository endpoints, EventLog events) {
        this.access = access;
        this.appEndpoints = appEndpoints;
        this.chains = chains;
        this.domains = domains;
        this.endpoints = endpoints;
        this.events = events;
    }

    @Transactional
    public AppSniEndpoints.View update(Caller caller, String appIdentity, String identity, String certificateChain,
                                       String privateKey) {
        App app = access.visible(caller, appIdentity);
        SniEndpoint endpoint = appEndpoints.findLocked(app, identity);
        ValidatedCertificate cert = chains.validate(certificateChain, privateKey);
        List<Domain> attached = domains.findBySniEndpointIdOrderByHostname(endpoint.id());
        for (Domain d : attached) {
            if (!CertificateNames.covers(cert.sslCert().certDomains(), d.hostname())) {
                throw new CertificateRejected("The new certificate is not valid for " + d.hostname() + ", which uses "
                        + endpoint.name() + " (it covers " + String.join(", ", cert.sslCert().certDomains())
                        + "). Point that domain at another certificate first: heroku domains:update " + d.hostname()
                        + " --cert OTHER");
            }
        }
        endpoint.replace(cert);
        endpoints.saveAndFlush(endpoint);
        events.append(EventTypes.SNI_ENDPOINT_UPDATED, app.id(), app.name(),
                Map.of("id", endpoint.id().toString(), "name", endpoint.name()));
        return new AppSniEndpoints.View(app, endpoint, cert.sslCert(), attached.stream().map(Domain::id).toList());
    }
}

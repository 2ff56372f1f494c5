package io.slipway.api.sniendpoints;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku certs:add server.crt server.key}: a validated certificate and key become an SNI endpoint of the
 * app. No domain uses it yet (the CLI then offers the app's matching domains and PATCHes each). Owners and
 * collaborators may add certificates, as they may add domains.
 */
@Service
public class CreateSniEndpoint {
    private final AppAccess access;
    private final CertificateChains chains;
    private final SniEndpointRepository endpoints;
    private final EndpointNames names;
    private final EventLog events;

    public CreateSniEndpoint(AppAccess access, CertificateChains chains, SniEndpointRepository endpoints,
                             EndpointNames names, EventLog events) {
        this.access = access;
        this.chains = chains;
        this.endpoints = endpoints;
        this.names = names;
        this.events = events;
    }

    @Transactional
    public AppSniEndpoints.View create(Caller caller, String appIdentity, String certificateChain, String privateKey) {
        App app = access.visible(caller, appIdentity);
        ValidatedCertificate cert = chains.validate(certificateChain, privateKey);
        SniEndpoint endpoint = endpoints.saveAndFlush(new SniEndpoint(app.id(), names.fresh(), cert));
        events.append(EventTypes.SNI_ENDPOINT_CREATED, app.id(), app.name(),
                Map.of("id", endpoint.id().toString(), "name", endpoint.name()));
        return new AppSniEndpoints.View(app, endpoint, cert.sslCert(), List.of());
    }
}

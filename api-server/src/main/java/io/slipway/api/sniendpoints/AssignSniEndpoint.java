package io.slipway.api.sniendpoints;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.domains.AppDomains;
import io.slipway.api.domains.Domain;
import io.slipway.api.domains.DomainRepository;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code PATCH /apps/{app}/domains/{domain}} {@code {"sni_endpoint": id|name|null}} ({@code heroku
 * domains:update --cert}, and {@code certs:add}'s domain selection): which certificate the router serves for a
 * hostname. The certificate's names must cover the hostname; the app's default domain is served with the
 * platform's wildcard certificate and cannot take one.
 */
@Service
public class AssignSniEndpoint {
    private final AppAccess access;
    private final AppDomains appDomains;
    private final AppSniEndpoints appEndpoints;
    private final CertificateChains chains;
    private final DomainRepository domains;
    private final EventLog events;

    public AssignSniEndpoint(AppAccess access, AppDomains appDomains, AppSniEndpoints appEndpoints,
                             CertificateChains chains, DomainRepository domains, EventLog events) {
        this.access = access;
        this.appDomains = appDomains;
        this.appEndpoints = appEndpoints;
        this.chains = chains;
        this.domains = domains;
        this.events = events;
    }

    public record Assigned(App app, Domain domain, SniEndpoint endpoint) {}

    @Transactional
    public Assigned assign(Caller caller, String appIdentity, String domainIdentity, String endpointIdentity) {
        App app = access.visible(caller, appIdentity);
        Domain domain = appDomains.find(app, domainIdentity);
        return assign(app, domain, endpointIdentity);
    }

    /** Also used by {@link AddDomainWithSniEndpoint}; the caller's access to {@code app} is already checked. */
    Assigned assign(App app, Domain domain, String endpointIdentity) {
        SniEndpoint endpoint = endpointIdentity == null ? null : usable(app, endpointIdentity, domain.hostname(), domain.kind());
        if (!Objects.equals(domain.sniEndpointId(), endpoint == null ? null : endpoint.id())) {
            domain.useSniEndpoint(endpoint == null ? null : endpoint.id());
            domains.saveAndFlush(domain);
            Map<String, Object> payload = new HashMap<>();
            payload.put("hostname", domain.hostname());
            payload.put("sni_endpoint", endpoint == null ? null : endpoint.name());
            events.append(EventTypes.DOMAIN_UPDATED, app.id(), app.name(), payload);
        }
        return new Assigned(app, domain, endpoint);
    }

    /** The endpoint, if it exists on the app and its certificate is valid for {@code hostname}. */
    SniEndpoint usable(App app, String endpointIdentity, String hostname, String kind) {
        SniEndpoint endpoint = appEndpoints.findLocked(app, endpointIdentity);
        if (Domain.KIND_HEROKU.equals(kind)) {
            throw new CertificateRejected(hostname + " is the app's default domain; the platform serves it with its own"
                    + " wildcard certificate.");
        }
        var names = chains.details(endpoint.certificateChain()).certDomains();
        if (!CertificateNames.covers(names, hostname)) {
            throw new CertificateRejected("The certificate " + endpoint.name() + " is not valid for " + hostname
                    + ": it covers " + String.join(", ", names) + ".");
        }
        return endpoint;
    }
}

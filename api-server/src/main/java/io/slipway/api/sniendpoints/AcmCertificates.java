package io.slipway.api.sniendpoints;

import io.slipway.api.domains.Domain;
import io.slipway.api.domains.DomainRepository;
import io.slipway.api.events.EventLog;
import io.slipway.shared.events.EventTypes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The certificates ACM obtains, kept as SNI endpoints flagged {@code acm} so the router serves them through the
 * same TLS table as the user's own: one endpoint per custom domain, replaced in place on renewal, removed (and
 * its domain detached) when ACM is disabled. A domain that points at the user's own certificate is left alone
 * until ACM issues one for it (Heroku's ACM then takes over the hostname too).
 */
@Service
public class AcmCertificates {
    private final CertificateChains chains;
    private final SniEndpointRepository endpoints;
    private final DomainRepository domains;
    private final EndpointNames names;
    private final EventLog events;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    public AcmCertificates(CertificateChains chains, SniEndpointRepository endpoints, DomainRepository domains,
                           EndpointNames names, EventLog events, org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.chains = chains;
        this.endpoints = endpoints;
        this.domains = domains;
        this.names = names;
        this.events = events;
    }

    /** Stores an issued chain and key for the domain; returns the certificate's expiry (to plan the renewal). */
    @Transactional
    public Instant store(UUID domainId, String appName, String chainPem, String keyPem) {
        ValidatedCertificate cert = chains.acmeIssued(chainPem, keyPem);
        Domain domain = domains.findById(domainId).orElseThrow(() -> new IllegalStateException("domain gone"));
        SniEndpoint current = domain.sniEndpointId() == null ? null
                : endpoints.findById(domain.sniEndpointId()).filter(SniEndpoint::acm).orElse(null);
        if (current != null) {
            current.replace(cert);
            endpoints.saveAndFlush(current);
            events.append(EventTypes.SNI_ENDPOINT_UPDATED, domain.appId(), appName,
                    Map.of("id", current.id().toString(), "name", current.name()));
        } else {
            SniEndpoint created = endpoints.saveAndFlush(SniEndpoint.acm(domain.appId(), names.fresh(), cert));
            events.append(EventTypes.SNI_ENDPOINT_CREATED, domain.appId(), appName,
                    Map.of("id", created.id().toString(), "name", created.name()));
            domain.useSniEndpoint(created.id());
            domains.saveAndFlush(domain);
            domainUpdated(domain, appName, created.name());
        }
        return cert.sslCert().expiresAt();
    }

    /** certs:auto:disable: the app's ACM certificates go, their domains are detached (the router stops serving them). */
    @Transactional
    public void removeAll(UUID appId, String appName) {
        List<SniEndpoint> acm = endpoints.findByAppIdOrderByName(appId).stream().filter(SniEndpoint::acm).toList();
        for (SniEndpoint e : acm) {
            List<Domain> attached = domains.findBySniEndpointIdOrderByHostname(e.id());
            for (Domain d : attached) {
                d.useSniEndpoint(null);
                domainUpdated(d, appName, null);
            }
            domains.saveAllAndFlush(attached);
            endpoints.delete(e);
            endpoints.flush();
            events.append(EventTypes.SNI_ENDPOINT_DELETED, appId, appName,
                    Map.of("id", e.id().toString(), "name", e.name()));
        }
    }

    /**
     * ACM certificates no domain points at any more (their domain was removed): deleted, as Heroku drops the
     * certificate of a domain that is gone. Returns how many.
     */
    @Transactional
    public int removeOrphans() {
        int removed = 0;
        for (SniEndpoint e : endpoints.findAcmOrphans()) {
            String appName = jdbc.queryForList("SELECT name FROM apps WHERE id = ?", String.class, e.appId())
                    .stream().findFirst().orElse(null);
            endpoints.delete(e);
            endpoints.flush();
            events.append(EventTypes.SNI_ENDPOINT_DELETED, e.appId(), appName,
                    Map.of("id", e.id().toString(), "name", e.name()));
            removed++;
        }
        return removed;
    }

    private void domainUpdated(Domain d, String appName, String endpointName) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("hostname", d.hostname());
        payload.put("sni_endpoint", endpointName);
        events.append(EventTypes.DOMAIN_UPDATED, d.appId(), appName, payload);
    }
}

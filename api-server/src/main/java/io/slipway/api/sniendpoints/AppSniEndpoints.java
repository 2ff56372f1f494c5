package io.slipway.api.sniendpoints;

import io.slipway.api.apps.App;
import io.slipway.api.domains.Domain;
import io.slipway.api.domains.DomainRepository;
import io.slipway.api.identity.Identities;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Finds an app's SNI endpoint by Heroku's {@code sni_endpoint_identity} (id or name), and what the API shows of it. */
@Component
public class AppSniEndpoints {
    private final SniEndpointRepository endpoints;
    private final DomainRepository domains;
    private final CertificateChains chains;
    private final JdbcTemplate jdbc;

    public AppSniEndpoints(SniEndpointRepository endpoints, DomainRepository domains, CertificateChains chains,
                           JdbcTemplate jdbc) {
        this.endpoints = endpoints;
        this.domains = domains;
        this.chains = chains;
        this.jdbc = jdbc;
    }

    /** An endpoint as the API shows it: its certificate's details and the ids of the domains pointing at it. */
    public record View(App app, SniEndpoint endpoint, SslCert sslCert, List<UUID> domainIds) {}

    public SniEndpoint find(App app, String identity) {
        return lookup(app, identity).orElseThrow(() -> new SniEndpointNotFound(identity));
    }

    /**
     * The endpoint, its row locked until the transaction ends: attaching a domain (which checks the certificate
     * covers it) and replacing the certificate (which checks it still covers its domains) take turns, so neither
     * can pass its check against a state the other is changing. Call before anything else in the transaction
     * loads the endpoint, so the entity read after the lock is current.
     */
    SniEndpoint findLocked(App app, String identity) {
        if (identity == null || identity.isEmpty()) throw new SniEndpointNotFound(identity);
        UUID id = Identities.uuidOrNull(identity);
        List<UUID> locked = id != null
                ? jdbc.queryForList("SELECT id FROM sni_endpoints WHERE app_id = ? AND id = ? FOR UPDATE", UUID.class, app.id(), id)
                : jdbc.queryForList("SELECT id FROM sni_endpoints WHERE app_id = ? AND name = ? FOR UPDATE", UUID.class, app.id(), identity);
        if (locked.isEmpty()) throw new SniEndpointNotFound(identity);
        return endpoints.findById(locked.get(0)).orElseThrow(() -> new SniEndpointNotFound(identity));
    }

    public List<View> list(App app) {
        return endpoints.findByAppIdOrderByName(app.id()).stream().map(e -> view(app, e)).toList();
    }

    public View view(App app, SniEndpoint e) {
        List<UUID> ids = domains.findBySniEndpointIdOrderByHostname(e.id()).stream().map(Domain::id).toList();
        return new View(app, e, chains.details(e.certificateChain()), ids);
    }

    /** The endpoint names of an app, by id: what a domain response shows as {@code sni_endpoint.name}. */
    public java.util.Map<UUID, String> namesById(UUID appId) {
        java.util.Map<UUID, String> names = new java.util.HashMap<>();
        for (SniEndpoint e : endpoints.findByAppIdOrderByName(appId)) names.put(e.id(), e.name());
        return names;
    }

    Optional<SniEndpoint> lookup(App app, String identity) {
        if (identity == null || identity.isEmpty()) return Optional.empty();
        UUID id = Identities.uuidOrNull(identity);
        if (id != null) return endpoints.findByIdAndAppId(id, app.id());
        return endpoints.findByNameAndAppId(identity, app.id());
    }
}

package io.slipway.api.domains;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.DomainException;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku domains:add www.example.com}: a custom domain routed to the app. Its {@code cname} (the DNS
 * target the user points their record at) is the app's default hostname {@code <app>.<apps domain>}: the
 * operator's wildcard DNS record for the apps domain already sends every such name to the routers, so no
 * extra DNS is needed per domain, and the router routes by the request's Host, i.e. the custom hostname.
 * Status is {@code none} (no certificate is provisioned automatically), which makes the CLI print the plain
 * "point your DNS at the DNS Target" message. Owners and collaborators may add domains. A domain added with an
 * {@code sni_endpoint} goes through {@code sniendpoints.AddDomainWithSniEndpoint}, which calls this.
 */
@Service
public class AddDomain {
    private final AppAccess access;
    private final DomainRepository domains;
    private final EventLog events;
    private final ApiServerConfig config;

    public AddDomain(AppAccess access, DomainRepository domains, EventLog events, ApiServerConfig config) {
        this.access = access;
        this.domains = domains;
        this.events = events;
        this.config = config;
    }

    public record Added(App app, Domain domain) {}

    @Transactional
    public Added add(Caller caller, String appIdentity, String rawHostname) {
        App app = access.visible(caller, appIdentity);
        String hostname = Hostnames.normalize(rawHostname);
        if (Hostnames.isWithin(hostname, config.appsDomain())) {
            throw new InvalidInput(hostname + " is under this platform's apps domain " + config.appsDomain()
                    + "; apps get their " + config.appsDomain() + " hostname automatically.");
        }
        if (hostname.equals(apiHost())) {
            throw new InvalidInput(hostname + " is this platform's API host and cannot route to an app.");
        }
        domains.findByHostname(hostname).ifPresent(existing -> {
            throw taken(hostname, existing.appId().equals(app.id()));
        });
        Domain domain;
        try {
            domain = domains.saveAndFlush(new Domain(app.id(), hostname, Domain.KIND_CUSTOM,
                    config.defaultHostname(app.name()), "none"));
        } catch (DataIntegrityViolationException e) {
            throw taken(hostname, false); // added concurrently
        }
        events.append(EventTypes.DOMAIN_ADDED, app.id(), app.name(),
                Map.of("hostname", domain.hostname(), "kind", domain.kind()));
        return new Added(app, domain);
    }

    /** Same status and id for both cases (422 invalid_params), like a taken app name. */
    private static DomainException taken(String hostname, boolean sameApp) {
        return new InvalidInput(sameApp ? hostname + " is already added to this app."
                : hostname + " is currently in use by another app.");
    }

    private String apiHost() {
        try {
            String host = URI.create(config.publicOrigin()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

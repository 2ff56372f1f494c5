package io.slipway.api.domains;

import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.identity.Identities;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Finds a domain of an app by Heroku's {@code domain_identity}: its id or its hostname (any case, FQDN dot allowed). */
@Component
public class AppDomains {
    private final DomainRepository domains;

    public AppDomains(DomainRepository domains) {
        this.domains = domains;
    }

    public Domain find(App app, String identity) {
        return lookup(app, identity).orElseThrow(() -> new NotFound("domain", identity));
    }

    private Optional<Domain> lookup(App app, String identity) {
        if (identity == null || identity.isEmpty()) return Optional.empty();
        UUID id = Identities.uuidOrNull(identity);
        if (id != null) return domains.findByIdAndAppId(id, app.id());
        String hostname = identity.toLowerCase(Locale.ROOT);
        if (hostname.endsWith(".")) hostname = hostname.substring(0, hostname.length() - 1);
        return domains.findByHostname(hostname).filter(d -> d.appId().equals(app.id()));
    }

}

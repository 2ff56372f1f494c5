package io.slipway.api.domains;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku domains:remove www.example.com}: the router stops routing it. The app's default
 * {@code heroku} domain stays as long as the app does (it follows renames).
 */
@Service
public class RemoveDomain {
    private final AppAccess access;
    private final AppDomains appDomains;
    private final DomainRepository domains;
    private final EventLog events;

    public RemoveDomain(AppAccess access, AppDomains appDomains, DomainRepository domains, EventLog events) {
        this.access = access;
        this.appDomains = appDomains;
        this.domains = domains;
        this.events = events;
    }

    public record Removed(App app, Domain domain) {}

    @Transactional
    public Removed remove(Caller caller, String appIdentity, String domainIdentity) {
        App app = access.visible(caller, appIdentity);
        Domain domain = appDomains.find(app, domainIdentity);
        if (Domain.KIND_HEROKU.equals(domain.kind())) {
            throw new InvalidInput(domain.hostname() + " is the app's default domain and cannot be removed.");
        }
        domains.delete(domain);
        domains.flush();
        events.append(EventTypes.DOMAIN_REMOVED, app.id(), app.name(), Map.of("hostname", domain.hostname()));
        return new Removed(app, domain);
    }
}

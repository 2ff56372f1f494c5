package io.slipway.api.sniendpoints;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.domains.AddDomain;
import io.slipway.api.domains.Domain;
import io.slipway.api.domains.Hostnames;
import io.slipway.api.identity.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku domains:add www.example.com --cert NAME}: the endpoint is checked (exists, covers the hostname)
 * before the domain is created, and both happen in one transaction, so a refused certificate adds no domain.
 */
@Service
public class AddDomainWithSniEndpoint {
    private final AppAccess access;
    private final AddDomain addDomain;
    private final AssignSniEndpoint assign;

    public AddDomainWithSniEndpoint(AppAccess access, AddDomain addDomain, AssignSniEndpoint assign) {
        this.access = access;
        this.addDomain = addDomain;
        this.assign = assign;
    }

    @Transactional
    public AssignSniEndpoint.Assigned add(Caller caller, String appIdentity, String hostname, String endpointIdentity) {
        App app = access.visible(caller, appIdentity);
        assign.usable(app, endpointIdentity, Hostnames.normalize(hostname), Domain.KIND_CUSTOM);
        AddDomain.Added added = addDomain.add(caller, appIdentity, hostname);
        return assign.assign(added.app(), added.domain(), endpointIdentity);
    }
}

package io.slipway.api.domains.web;

import io.slipway.api.acm.AcmDomains;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.domains.AddDomain;
import io.slipway.api.domains.AppDomains;
import io.slipway.api.domains.Domain;
import io.slipway.api.domains.DomainRepository;
import io.slipway.api.domains.RemoveDomain;
import io.slipway.api.sniendpoints.AddDomainWithSniEndpoint;
import io.slipway.api.sniendpoints.AppSniEndpoints;
import io.slipway.api.sniendpoints.AssignSniEndpoint;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** Platform API: domains ({@code heroku domains}, {@code domains:add}, {@code domains:update}, {@code domains:remove}). */
@RestController
public class DomainsController {
    private final AppAccess access;
    private final DomainRepository domains;
    private final AppDomains appDomains;
    private final AddDomain addDomain;
    private final RemoveDomain removeDomain;
    private final AppSniEndpoints sniEndpoints;
    private final AssignSniEndpoint assignSniEndpoint;
    private final AddDomainWithSniEndpoint addWithSniEndpoint;
    private final ObjectMapper mapper;
    private final AcmDomains acm;

    public DomainsController(AppAccess access, DomainRepository domains, AppDomains appDomains, AddDomain addDomain,
                             RemoveDomain removeDomain, AppSniEndpoints sniEndpoints, AssignSniEndpoint assignSniEndpoint,
                             AddDomainWithSniEndpoint addWithSniEndpoint, ObjectMapper mapper, AcmDomains acm) {
        this.acm = acm;
        this.access = access;
        this.domains = domains;
        this.appDomains = appDomains;
        this.addDomain = addDomain;
        this.removeDomain = removeDomain;
        this.sniEndpoints = sniEndpoints;
        this.assignSniEndpoint = assignSniEndpoint;
        this.addWithSniEndpoint = addWithSniEndpoint;
        this.mapper = mapper;
    }

    /** The CLI sends {@code Range: id ..; max=1000;} and follows Next-Range while the answer is 206. */
    @GetMapping("/apps/{app}/domains")
    public ResponseEntity<List<DomainJson>> list(Caller caller, @PathVariable String app,
                                                 @RequestHeader(value = "Range", required = false) String range) {
        App a = access.visible(caller, app);
        var names = sniEndpoints.namesById(a.id());
        var statuses = acm.statuses(a.id());
        return Paged.of(domains.findByAppIdOrderByCreatedAt(a.id()))
                .by("id", d -> d.id().toString())
                .by("hostname", Domain::hostname)
                .respond(range, d -> DomainJson.of(d, a, names, statuses));
    }

    @GetMapping("/apps/{app}/domains/{domain}")
    public DomainJson info(Caller caller, @PathVariable String app, @PathVariable String domain) {
        App a = access.visible(caller, app);
        return DomainJson.of(appDomains.find(a, domain), a, sniEndpoints.namesById(a.id()), acm.statuses(a.id()));
    }

    @PostMapping("/apps/{app}/domains")
    public ResponseEntity<DomainJson> create(Caller caller, @PathVariable String app,
                                             @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        String hostname = json.requireString("hostname");
        String sni = json.optIdentity("sni_endpoint", "name", "id");
        if (sni == null) {
            AddDomain.Added added = addDomain.add(caller, app, hostname);
            return ResponseEntity.status(HttpStatus.CREATED).body(DomainJson.of(added.domain(), added.app(), java.util.Map.of()));
        }
        AssignSniEndpoint.Assigned added = addWithSniEndpoint.add(caller, app, hostname, sni);
        return ResponseEntity.status(HttpStatus.CREATED).body(json(added));
    }

    /** {@code heroku domains:update HOST --cert NAME}, and {@code certs:add}'s domain selection. */
    @PatchMapping("/apps/{app}/domains/{domain}")
    public DomainJson update(Caller caller, @PathVariable String app, @PathVariable String domain,
                             @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        if (!json.has("sni_endpoint")) throw io.slipway.api.web.ApiErrors.invalidParams("Missing required param `sni_endpoint`.");
        return json(assignSniEndpoint.assign(caller, app, domain, json.optIdentity("sni_endpoint", "name", "id")));
    }

    private static DomainJson json(AssignSniEndpoint.Assigned a) {
        var names = a.endpoint() == null ? java.util.Map.<java.util.UUID, String>of()
                : java.util.Map.of(a.endpoint().id(), a.endpoint().name());
        return DomainJson.of(a.domain(), a.app(), names);
    }

    @DeleteMapping("/apps/{app}/domains/{domain}")
    public DomainJson delete(Caller caller, @PathVariable String app, @PathVariable String domain) {
        RemoveDomain.Removed removed = removeDomain.remove(caller, app, domain);
        return DomainJson.of(removed.domain(), removed.app(), sniEndpoints.namesById(removed.app().id()));
    }
}

package io.slipway.api.domains.web;

import io.slipway.api.apps.App;
import io.slipway.api.domains.Domain;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The Platform API's {@code domain} shape. {@code sni_endpoint} is {@code {id, name}} of the certificate the
 * router serves for the hostname, or null; {@code acm_status} and {@code acm_status_reason} are always null
 * (no automatic certificates).
 */
public record DomainJson(
        String acmStatus,
        String acmStatusReason,
        AppRef app,
        String cname,
        Instant createdAt,
        String hostname,
        UUID id,
        String kind,
        SniRef sniEndpoint,
        String status,
        Instant updatedAt) {

    public record AppRef(UUID id, String name) {}

    public record SniRef(UUID id, String name) {}

    /** {@code endpointNames}: the app's SNI endpoint names by id. */
    public static DomainJson of(Domain d, App app, Map<UUID, String> endpointNames) {
        UUID sni = d.sniEndpointId();
        String sniName = sni == null ? null : endpointNames.get(sni);
        return new DomainJson(null, null, new AppRef(app.id(), app.name()), d.cname(), d.createdAt(), d.hostname(),
                d.id(), d.kind(), sniName == null ? null : new SniRef(sni, sniName), d.status(), d.updatedAt());
    }
}

package io.slipway.api.domains.web;

import io.slipway.api.apps.App;
import io.slipway.api.domains.Domain;
import java.time.Instant;
import java.util.UUID;

/**
 * The Platform API's {@code domain} shape. Certificates are not managed here: {@code acm_status},
 * {@code acm_status_reason} and {@code sni_endpoint} are always null.
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
        Object sniEndpoint,
        String status,
        Instant updatedAt) {

    public record AppRef(UUID id, String name) {}

    public static DomainJson of(Domain d, App app) {
        return new DomainJson(null, null, new AppRef(app.id(), app.name()), d.cname(), d.createdAt(), d.hostname(),
                d.id(), d.kind(), null, d.status(), d.updatedAt());
    }
}

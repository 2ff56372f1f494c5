package io.slipway.api.domains.web;

import io.slipway.api.acm.AcmDomains;
import io.slipway.api.apps.App;
import io.slipway.api.domains.Domain;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The Platform API's {@code domain} shape. {@code sni_endpoint} is {@code {id, name}} of the certificate the
 * router serves for the hostname, or null; {@code acm_status} and {@code acm_status_reason} are the custom
 * domain's ACM state when the app has ACM ({@code pending}, {@code cert issued}, {@code failing}, {@code failed}),
 * null otherwise.
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
        return of(d, app, endpointNames, Map.of());
    }

    /** {@code acm}: the app's ACM states by domain id ({@link AcmDomains#statuses}). */
    public static DomainJson of(Domain d, App app, Map<UUID, String> endpointNames, Map<UUID, AcmDomains.Status> acm) {
        UUID sni = d.sniEndpointId();
        String sniName = sni == null ? null : endpointNames.get(sni);
        AcmDomains.Status status = acm.get(d.id());
        return new DomainJson(status == null ? null : status.status(), status == null ? null : status.reason(), new AppRef(app.id(), app.name()), d.cname(), d.createdAt(), d.hostname(),
                d.id(), d.kind(), sniName == null ? null : new SniRef(sni, sniName), d.status(), d.updatedAt());
    }
}

package io.slipway.api.sniendpoints.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.slipway.api.sniendpoints.AppSniEndpoints;
import io.slipway.api.sniendpoints.SslCert;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Platform API's {@code sni-endpoint} shape. {@code certificate_chain} is the stored chain (public); the
 * private key is never part of it. {@code display_name} is null: Heroku sets it only from its dashboard.
 */
public record SniEndpointJson(
        AppRef app,
        String certificateChain,
        Instant createdAt,
        String displayName,
        List<UUID> domains,
        UUID id,
        String name,
        SslCertJson sslCert,
        Instant updatedAt) {

    public record AppRef(UUID id, String name) {}

    public record SslCertJson(
            @JsonProperty("ca_signed?") boolean caSigned,
            List<String> certDomains,
            Instant expiresAt,
            String issuer,
            @JsonProperty("self_signed?") boolean selfSigned,
            Instant startsAt,
            String subject,
            boolean acm,
            UUID id) {}

    public static SniEndpointJson of(AppSniEndpoints.View v) {
        SslCert c = v.sslCert();
        var e = v.endpoint();
        return new SniEndpointJson(new AppRef(v.app().id(), v.app().name()), e.certificateChain(), e.createdAt(), null,
                v.domainIds(), e.id(), e.name(),
                new SslCertJson(c.caSigned(), c.certDomains(), c.expiresAt(), c.issuer(), c.selfSigned(), c.startsAt(),
                        c.subject(), e.acm(), e.id()),
                e.updatedAt());
    }
}

package io.slipway.api.sniendpoints;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An app's certificate and key ({@code heroku certs:add}); domains point at it to have the router serve it for
 * their hostname. The chain is stored as validated (leaf first); the key as PKCS#8 PEM, encrypted at rest with
 * the config vars' key ring ({@link EncryptedPrivateKey}).
 */
@Entity
@Table(name = "sni_endpoints")
public final class SniEndpoint {
    @Id
    private UUID id;
    private UUID appId;
    private String name;
    private String certificateChain;
    @Convert(converter = EncryptedPrivateKey.class)
    @Column(name = "private_key")
    private String privateKey;
    /** Obtained by ACM (certs:auto): renewed by the platform, removed by certs:auto:disable. */
    private boolean acm;
    private Instant createdAt;
    private Instant updatedAt;

    protected SniEndpoint() {}

    SniEndpoint(UUID appId, String name, ValidatedCertificate certificate) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.name = name;
        this.certificateChain = certificate.chainPem();
        this.privateKey = certificate.privateKeyPem();
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public String name() { return name; }
    public String certificateChain() { return certificateChain; }
    /** The decrypted PKCS#8 PEM: only for the router's internal endpoint, never the public API. */
    public String privateKey() { return privateKey; }
    public boolean acm() { return acm; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    static SniEndpoint acm(UUID appId, String name, ValidatedCertificate certificate) {
        SniEndpoint e = new SniEndpoint(appId, name, certificate);
        e.acm = true;
        return e;
    }

    void replace(ValidatedCertificate certificate) {
        this.certificateChain = certificate.chainPem();
        this.privateKey = certificate.privateKeyPem();
        this.updatedAt = Instant.now();
    }
}

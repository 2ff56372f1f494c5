package io.slipway.api.deploykeys;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An SSH public key allowed to {@code git push} to (and fetch from) one app and nothing else: for a CI server or
 * a contractor who must not get the account's API access or its other apps. SSH keys never authenticate the
 * Platform API, so the only door a deploy key opens is the git-gateway's, and only for {@link #appId()}.
 */
@Entity
@Table(name = "deploy_keys")
public final class DeployKey {
    @Id
    private UUID id;
    private UUID appId;
    private String name;
    private String publicKey;
    private String fingerprint;
    private UUID createdBy;
    private Instant createdAt;

    protected DeployKey() {}

    public DeployKey(UUID appId, String name, String publicKey, String fingerprint, UUID createdBy) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.name = name;
        this.publicKey = publicKey;
        this.fingerprint = fingerprint;
        this.createdBy = createdBy;
        this.createdAt = Instant.now();
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public String name() { return name; }
    /** normalised {@code type base64 [comment]} */
    public String publicKey() { return publicKey; }
    /** {@code SHA256:...} as {@code ssh-keygen -lf} prints it */
    public String fingerprint() { return fingerprint; }
    /** the account that added it; null once that account is deleted */
    public UUID createdBy() { return createdBy; }
    public Instant createdAt() { return createdAt; }
}

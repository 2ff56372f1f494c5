package io.slipway.api.keys;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An SSH public key of an account ({@code heroku keys:add}); the git-gateway lets its holder push over SSH as
 * that account. A fingerprint belongs to one account only, so a key always names exactly one pusher.
 */
@Entity
@Table(name = "ssh_keys")
public final class SshKey {
    @Id
    private UUID id;
    private UUID accountId;
    private String publicKey;
    private String fingerprint;
    private String comment;
    private Instant createdAt;
    private Instant updatedAt;

    protected SshKey() {}

    public SshKey(UUID accountId, String publicKey, String fingerprint, String comment) {
        this.id = UUID.randomUUID();
        this.accountId = accountId;
        this.publicKey = publicKey;
        this.fingerprint = fingerprint;
        this.comment = comment == null ? "" : comment;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public UUID accountId() { return accountId; }
    /** normalised {@code type base64 [comment]} */
    public String publicKey() { return publicKey; }
    /** {@code SHA256:...} as {@code ssh-keygen -lf} prints it */
    public String fingerprint() { return fingerprint; }
    public String comment() { return comment; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }
}

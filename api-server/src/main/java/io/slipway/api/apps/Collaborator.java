package io.slipway.api.apps;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An account, other than the owner, that may use an app (deploy, config, scale) but not destroy or transfer it. */
@Entity
@Table(name = "collaborators")
public final class Collaborator {
    @Id
    private UUID id;
    private UUID appId;
    private UUID accountId;
    private Instant createdAt;
    private Instant updatedAt;

    protected Collaborator() {}

    public Collaborator(UUID appId, UUID accountId) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.accountId = accountId;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public UUID accountId() { return accountId; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }
}

package io.slipway.api.addons;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An add-on made visible to an app under a name: attachment {@code DATABASE} sets the app's {@code DATABASE_URL}
 * (one config var per key of the add-on's config). The add-on's own app gets the first attachment; others come
 * from {@code heroku addons:attach}.
 */
@Entity
@Table(name = "addon_attachments")
public final class AddonAttachment {
    @Id
    private UUID id;
    private UUID addonId;
    private UUID appId;
    private String name;
    private String namespace;
    private Instant createdAt;
    private Instant updatedAt;

    protected AddonAttachment() {}

    public AddonAttachment(UUID addonId, UUID appId, String name) {
        this.id = UUID.randomUUID();
        this.addonId = addonId;
        this.appId = appId;
        this.name = name;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public UUID addonId() { return addonId; }
    public UUID appId() { return appId; }
    public String name() { return name; }
    public String namespace() { return namespace; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }
}

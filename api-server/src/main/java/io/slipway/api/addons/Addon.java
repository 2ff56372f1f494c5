package io.slipway.api.addons;

import io.slipway.api.secrets.EncryptedConfigVars;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An add-on: one resource (a database, a Redis) of one service and plan, billed to one app ({@link #appId}) and
 * reachable by the apps it is attached to. {@link #config} holds the values its config vars take, by suffix
 * ({@code URL} → {@code postgres://...}); they are credentials, so they are encrypted at rest like config vars.
 */
@Entity
@Table(name = "addons")
public final class Addon {
    public static final String PROVISIONING = "provisioning";
    public static final String PROVISIONED = "provisioned";
    public static final String DEPROVISIONED = "deprovisioned";

    @Id
    private UUID id;
    private String name;
    private UUID appId;
    private String service;
    private String plan;
    private String state;
    private String providerId;
    @Convert(converter = EncryptedConfigVars.class)
    private Map<String, String> config = new LinkedHashMap<>();
    private Instant createdAt;
    private Instant updatedAt;

    protected Addon() {}

    public Addon(String name, UUID appId, String service, String plan) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.appId = appId;
        this.service = service;
        this.plan = plan;
        this.state = PROVISIONING;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public String name() { return name; }
    public UUID appId() { return appId; }
    public String service() { return service; }
    public String plan() { return plan; }
    public String state() { return state; }
    public String providerId() { return providerId; }
    /** A copy: the values by suffix ({@code URL}), e.g. the attachment DATABASE gets DATABASE_URL. */
    public Map<String, String> config() { return new LinkedHashMap<>(config); }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    public void provisioned(String providerId, Map<String, String> config) {
        this.providerId = providerId;
        this.config = new LinkedHashMap<>(config);
        this.state = PROVISIONED;
        touch();
    }

    public void replaceConfig(Map<String, String> config) {
        this.config = new LinkedHashMap<>(config);
        touch();
    }

    public void rename(String newName) {
        this.name = newName;
        touch();
    }

    public void changePlan(String newPlan) {
        this.plan = newPlan;
        touch();
    }

    public void deprovisioned() {
        this.state = DEPROVISIONED;
        touch();
    }

    private void touch() {
        this.updatedAt = Instant.now();
    }
}

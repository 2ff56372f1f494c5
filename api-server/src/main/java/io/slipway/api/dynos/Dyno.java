package io.slipway.api.dynos;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A dyno as the control plane knows it: written by the runtime (dyno-agents report what runs), read by
 * {@code heroku ps}. Until the runtime exists there are none.
 */
@Entity
@Table(name = "dynos")
public class Dyno {
    @Id
    private UUID id;
    private UUID appId;
    private UUID releaseId;
    private String name;
    private String type;
    private String command;
    private String size;
    private String state;
    private String attachUrl;
    private Instant createdAt;
    private Instant updatedAt;

    protected Dyno() {}

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public UUID releaseId() { return releaseId; }
    public String name() { return name; }
    public String type() { return type; }
    public String command() { return command; }
    public String size() { return size; }
    public String state() { return state; }
    public String attachUrl() { return attachUrl; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }
}

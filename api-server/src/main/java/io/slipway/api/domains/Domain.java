package io.slipway.api.domains;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A hostname the router sends to an app: the default {@code <app>.<apps domain>} (kind heroku) or a custom one. */
@Entity
@Table(name = "domains")
public final class Domain {
    public static final String KIND_HEROKU = "heroku";
    public static final String KIND_CUSTOM = "custom";

    @Id
    private UUID id;
    private UUID appId;
    private String hostname;
    private String kind;
    private String cname;
    private String status;
    /** The SNI endpoint whose certificate the router serves for this hostname; null for none. */
    private UUID sniEndpointId;
    private Instant createdAt;
    private Instant updatedAt;

    protected Domain() {}

    public Domain(UUID appId, String hostname, String kind, String cname, String status) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.hostname = hostname;
        this.kind = kind;
        this.cname = cname;
        this.status = status;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public String hostname() { return hostname; }
    public String kind() { return kind; }
    public String cname() { return cname; }
    public String status() { return status; }
    public UUID sniEndpointId() { return sniEndpointId; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    public void changeHostname(String newHostname) {
        this.hostname = newHostname;
        this.updatedAt = Instant.now();
    }

    public void changeCname(String newCname) {
        this.cname = newCname;
        this.updatedAt = Instant.now();
    }

    public void useSniEndpoint(UUID endpointId) {
        this.sniEndpointId = endpointId;
        this.updatedAt = Instant.now();
    }
}

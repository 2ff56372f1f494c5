package io.slipway.api.volumes;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A persistent directory of an app: bound at {@link #mountPath()} into every dyno of {@link #processType()},
 * kept across deploys, restarts and rollbacks, at most {@link #sizeMb()} big. Host-local: each agent running
 * dynos of that type keeps its own copy (see docs/volumes.md).
 */
@Entity
@Table(name = "volumes")
public final class Volume {
    @Id
    private UUID id;
    private UUID appId;
    private String name;
    private String processType;
    private String mountPath;
    private int sizeMb;
    private Instant createdAt;

    protected Volume() {}

    public Volume(UUID appId, String name, String processType, String mountPath, int sizeMb) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.name = name;
        this.processType = processType;
        this.mountPath = mountPath;
        this.sizeMb = sizeMb;
        this.createdAt = Instant.now();
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public String name() { return name; }
    public String processType() { return processType; }
    public String mountPath() { return mountPath; }
    public int sizeMb() { return sizeMb; }
    public Instant createdAt() { return createdAt; }
}

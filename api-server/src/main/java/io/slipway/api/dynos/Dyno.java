package io.slipway.api.dynos;

import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A dyno as the control plane knows it, for reading ({@code heroku ps}): desired state written by the
 * scheduler, {@code state} reported by the dyno-agent running it. Changes go through {@link DynoRows}
 * (plain SQL under the scheduler lock), never through this entity.
 */
@Entity
@Table(name = "dynos")
public final class Dyno {
    public static final String DESIRED_UP = DynoRow.DESIRED_UP;
    public static final String DESIRED_STOPPED = DynoRow.DESIRED_STOPPED;

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
    private UUID startedBy;
    private String agentId;
    private String desiredState;
    private boolean oneOff;
    private int restartGeneration;
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
    /** The user who started a one-off (null for formation dynos). */
    public UUID startedBy() { return startedBy; }

    /**
     * The {@code attach_url} as {@code viewer} may see it: it carries the secret that opens the one-off's
     * shell, so only the user who started it gets it; other collaborators see null.
     */
    public String attachUrlFor(UUID viewer) {
        return attachUrl != null && startedBy != null && startedBy.equals(viewer) ? attachUrl : null;
    }
    public String agentId() { return agentId; }
    public String desiredState() { return desiredState; }
    public boolean oneOff() { return oneOff; }
    public int restartGeneration() { return restartGeneration; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }
}

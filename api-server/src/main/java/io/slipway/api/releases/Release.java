package io.slipway.api.releases;

import io.slipway.api.secrets.EncryptedConfigVars;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** An immutable, numbered pairing of a slug (maybe none yet) and a snapshot of config vars. */
@Entity
@Table(name = "releases")
public class Release {
    /** The only status Slipway creates until releases run a release phase (then also pending and failed). */
    public static final String SUCCEEDED = "succeeded";

    @Id
    private UUID id;
    private UUID appId;
    private int version;
    private String description;
    private String status;
    private UUID slugId;
    @Convert(converter = EncryptedConfigVars.class)
    @Column(name = "config_vars")
    private Map<String, String> configVars = new LinkedHashMap<>();
    private UUID userId;
    private Instant createdAt;
    private Instant updatedAt;

    protected Release() {}

    public Release(UUID appId, int version, String description, UUID slugId, Map<String, String> configVars,
                   UUID userId) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.version = version;
        this.description = description;
        this.status = SUCCEEDED;
        this.slugId = slugId;
        this.configVars = new LinkedHashMap<>(configVars);
        this.userId = userId;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public int version() { return version; }
    public String description() { return description; }
    public String status() { return status; }
    public UUID slugId() { return slugId; }
    public Map<String, String> configVars() { return new LinkedHashMap<>(configVars); }
    public UUID userId() { return userId; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    /**
     * Every release that succeeded, the current one included: the CLI's {@code heroku rollback} without a
     * version takes the second eligible (or succeeded) release of the newest-first list, which must be the
     * previous release.
     */
    public boolean eligibleForRollback() {
        return SUCCEEDED.equals(status);
    }
}

package io.slipway.api.releases;

import io.slipway.api.secrets.EncryptedConfigVars;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.descriptor.java.Immutability;
import org.springframework.data.domain.Persistable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** An immutable, numbered pairing of an artifact (a slug or an image; maybe none yet) and a snapshot of config vars. */
@Entity
@Table(name = "releases")
public final class Release implements Persistable<UUID> {
    /** Live (or was): the newest succeeded release is the app's current one. */
    public static final String SUCCEEDED = "succeeded";
    /** Its release phase runs; the previous release keeps serving until it ends. */
    public static final String PENDING = "pending";
    /** Its release phase exited non-zero, crashed or timed out: it never went live. */
    public static final String FAILED = "failed";

    @Id
    private UUID id;
    private UUID appId;
    private int version;
    private String description;
    private String status;
    private UUID slugId;
    private UUID imageId;
    @Convert(converter = EncryptedConfigVars.class)
    @Column(name = "config_vars")
    @Mutability(Immutability.class) // never changed in place: Hibernate needs no decrypted snapshot (an encrypt+decrypt per load)
    private Map<String, String> configVars = new LinkedHashMap<>();
    private UUID userId;
    /** The credential in the release phase's output_stream_url; null when the release has no release phase. */
    private String outputToken;
    private Instant createdAt;
    private Instant updatedAt;
    /**
     * The id is chosen here, not by the database, so Spring Data cannot tell a new release from a stored one by a
     * null id: without this it merged every new release, a SELECT by id before each INSERT.
     */
    @Transient
    private boolean isNew;

    protected Release() {}

    public Release(UUID appId, int version, String description, UUID slugId, Map<String, String> configVars,
                   UUID userId) {
        this(appId, version, description, slugId, configVars, userId, null);
    }

    /** {@code outputToken} non-null: the release runs a release phase first, so it starts {@code pending}. */
    public Release(UUID appId, int version, String description, UUID slugId, Map<String, String> configVars,
                   UUID userId, String outputToken) {
        this(appId, version, description, Artifact.slug(slugId), configVars, userId, outputToken);
    }

    /** {@code outputToken} non-null: the release runs a release phase first, so it starts {@code pending}. */
    public Release(UUID appId, int version, String description, Artifact artifact, Map<String, String> configVars,
                   UUID userId, String outputToken) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.version = version;
        this.description = description;
        this.status = outputToken == null ? SUCCEEDED : PENDING;
        this.outputToken = outputToken;
        this.slugId = artifact.slugId();
        this.imageId = artifact.imageId();
        this.configVars = new LinkedHashMap<>(configVars);
        this.userId = userId;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
        this.isNew = true;
    }

    @PostLoad
    @PostPersist
    void stored() {
        this.isNew = false;
    }

    @Override
    public UUID getId() { return id; }

    @Override
    public boolean isNew() { return isNew; }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public int version() { return version; }
    public String description() { return description; }
    public String status() { return status; }
    public UUID slugId() { return slugId; }
    /** The image a Dockerfile deploy made; null for slug releases. */
    public UUID imageId() { return imageId; }
    public Artifact artifact() { return new Artifact(slugId, imageId); }
    public Map<String, String> configVars() { return new LinkedHashMap<>(configVars); }
    public UUID userId() { return userId; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }
    public String outputToken() { return outputToken; }

    public boolean pending() {
        return PENDING.equals(status);
    }

    /** The end of its release phase; only a pending release changes status, once. */
    public void finishReleasePhase(boolean succeeded) {
        if (!pending()) throw new IllegalStateException("release " + id + " is " + status + ", not pending");
        this.status = succeeded ? SUCCEEDED : FAILED;
        this.updatedAt = Instant.now();
    }

    /**
     * Every release that succeeded, the current one included: the CLI's {@code heroku rollback} without a
     * version takes the second eligible (or succeeded) release of the newest-first list, which must be the
     * previous release.
     */
    public boolean eligibleForRollback() {
        return SUCCEEDED.equals(status);
    }
}

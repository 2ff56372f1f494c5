package io.slipway.api.slugs;

import io.slipway.api.persistence.JsonStringMap;
import io.slipway.api.storage.ObjectKeys;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A built app ready to run: a tarball in object storage ({@link #objectKey()}) and the process types it
 * declares. Its size is known once the object has been verified in storage, which happens before any
 * release uses it.
 */
@Entity
@Table(name = "slugs")
public final class Slug {
    @Id
    private UUID id;
    private UUID appId;
    private String checksum;
    private Long size;
    @Convert(converter = JsonStringMap.class)
    @Column(name = "process_types")
    private Map<String, String> processTypes = new LinkedHashMap<>();
    private String stack;
    private String buildpackProvidedDescription;
    private String commit;
    private String commitDescription;
    private String objectKey;
    private Instant createdAt;
    private Instant updatedAt;

    protected Slug() {}

    /** What a slug says about itself when it is created; {@code id} is chosen by the caller (a build allocates it early). */
    public record Description(Map<String, String> processTypes, String checksum, String stack,
                              String buildpackProvidedDescription, String commit, String commitDescription) {}

    public Slug(UUID id, UUID appId, Description d) {
        this.id = id;
        this.appId = appId;
        this.processTypes = new LinkedHashMap<>(d.processTypes());
        this.checksum = d.checksum();
        this.stack = d.stack();
        this.buildpackProvidedDescription = d.buildpackProvidedDescription();
        this.commit = d.commit();
        this.commitDescription = d.commitDescription();
        this.objectKey = ObjectKeys.slug(appId, id);
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public String checksum() { return checksum; }
    /** bytes, or null before the object was verified */
    public Long size() { return size; }
    public Map<String, String> processTypes() { return new LinkedHashMap<>(processTypes); }
    public String stack() { return stack; }
    public String buildpackProvidedDescription() { return buildpackProvidedDescription; }
    public String commit() { return commit; }
    public String commitDescription() { return commitDescription; }
    public String objectKey() { return objectKey; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    public void recordSize(long bytes) {
        this.size = bytes;
        this.updatedAt = Instant.now();
    }

    /** {@code Deploy 1a2b3c4d}, Heroku's description of a release of this slug ({@code Deploy} without a commit). */
    public String deployDescription() {
        if (commit == null || commit.isBlank()) return "Deploy";
        String c = commit.strip();
        return "Deploy " + (c.length() > 8 ? c.substring(0, 8) : c);
    }
}

package io.slipway.api.builds;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A source tarball on its way to becoming a slug and a release. {@code pending} covers both queued (no
 * lease) and running (a build-worker holds the lease and renews it with heartbeats); it ends
 * {@code succeeded} (with a slug and a release) or {@code failed} (with a message).
 */
@Entity
@Table(name = "builds")
public final class Build {
    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    @Id
    private UUID id;
    private UUID appId;
    private String status;
    private String stack;
    private String sourceUrl;
    private String sourceVersion;
    private String sourceVersionDescription;
    private String sourceChecksum;
    @Convert(converter = BuildpackList.class)
    @Column(name = "buildpacks")
    private List<BuildpackList.Entry> buildpacks = new ArrayList<>();
    private UUID userId;
    private UUID slugId;
    private UUID releaseId;
    private String outputToken;
    private String leaseOwner;
    private Instant leaseExpiresAt;
    private int attempts;
    private String message;
    private Instant startedAt;
    private Instant createdAt;
    private Instant updatedAt;

    protected Build() {}

    /** The source of a build, as {@code source_blob} gives it. */
    public record Source(String url, String version, String versionDescription, String checksum) {}

    public Build(UUID appId, String stack, Source source, List<BuildpackList.Entry> buildpacks, UUID userId,
                 String outputToken) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.status = PENDING;
        this.stack = stack;
        this.sourceUrl = source.url();
        this.sourceVersion = source.version();
        this.sourceVersionDescription = source.versionDescription();
        this.sourceChecksum = source.checksum();
        this.buildpacks = new ArrayList<>(buildpacks);
        this.userId = userId;
        this.outputToken = outputToken;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public String status() { return status; }
    public String stack() { return stack; }
    public Source source() { return new Source(sourceUrl, sourceVersion, sourceVersionDescription, sourceChecksum); }
    public List<BuildpackList.Entry> buildpacks() { return List.copyOf(buildpacks); }
    public UUID userId() { return userId; }
    /** Allocated at the first claim (the worker uploads there); the slug row exists once the build succeeded. */
    public UUID slugId() { return slugId; }
    public UUID releaseId() { return releaseId; }
    public String outputToken() { return outputToken; }
    public String leaseOwner() { return leaseOwner; }
    public Instant leaseExpiresAt() { return leaseExpiresAt; }
    public int attempts() { return attempts; }
    public String message() { return message; }
    /** When the current (or last) claim started it; null while it never ran. */
    public Instant startedAt() { return startedAt; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    /**
     * Whether the output token still opens {@code output_stream_url}: while the build runs (up to
     * {@code maxLifetime} after it was created) and for {@code afterFinish} once it has finished. The token is
     * a bearer credential in a URL (logs, shell history, CI output), so it must not work for ever.
     */
    public boolean outputReadable(Instant now, java.time.Duration afterFinish, java.time.Duration maxLifetime) {
        if (!now.isBefore(createdAt.plus(maxLifetime))) return false;
        return !finished() || now.isBefore(updatedAt.plus(afterFinish));
    }

    public boolean finished() {
        return !PENDING.equals(status);
    }

    /** Running: pending with a worker holding the lease (possibly expired but not yet swept). */
    public boolean leased() {
        return PENDING.equals(status) && leaseOwner != null;
    }

    /** Whether {@code workerId} (null: not said) may act on this build's lease. */
    public boolean leasedTo(String workerId) {
        return leased() && (workerId == null || workerId.equals(leaseOwner));
    }

    void claim(String workerId, Instant now, int leaseSeconds) {
        if (slugId == null) slugId = UUID.randomUUID();
        leaseOwner = workerId;
        leaseExpiresAt = now.plusSeconds(leaseSeconds);
        attempts++;
        startedAt = now;
        updatedAt = now;
    }

    void renewLease(Instant now, int leaseSeconds) {
        leaseExpiresAt = now.plusSeconds(leaseSeconds);
        updatedAt = now;
    }

    /** Back to the queue; the slug id stays, so a late upload of the lost worker cannot clash with another slug. */
    void requeue(Instant now) {
        leaseOwner = null;
        leaseExpiresAt = null;
        updatedAt = now;
    }

    void fail(String why, Instant now) {
        status = FAILED;
        message = why;
        leaseOwner = null;
        leaseExpiresAt = null;
        updatedAt = now;
    }

    void succeed(UUID releaseId, Instant now) {
        status = SUCCEEDED;
        this.releaseId = releaseId;
        leaseOwner = null;
        leaseExpiresAt = null;
        updatedAt = now;
    }

    /** An image build succeeded: it made no slug, so its {@code slug} (the one allocated at claim) is dropped. */
    void succeedWithImage(UUID releaseId, Instant now) {
        succeed(releaseId, now);
        slugId = null;
    }
}

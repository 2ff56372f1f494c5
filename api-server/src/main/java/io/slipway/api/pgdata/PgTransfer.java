package io.slipway.api.pgdata;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One backup ({@code pg_dump} → the object store) or restore (a stored backup or a URL → {@code pg_restore}) of
 * a heroku-postgresql add-on: what {@code heroku pg:backups} lists, numbered per app ({@code b001}, {@code r002}).
 */
@Entity
@Table(name = "pg_transfers")
public final class PgTransfer {
    public static final String PG_DUMP = "pg_dump";
    public static final String PG_RESTORE = "pg_restore";
    /** Heroku's name for the object store end of a transfer. */
    public static final String STORE = "gof3r";
    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    @Id
    private UUID id;
    private UUID appId;
    private long num;
    private UUID addonId;
    private String fromType;
    private String fromName;
    private String toType;
    private String toName;
    private UUID sourceId;
    private String objectKey;
    private boolean scheduled;
    private String state;
    private long processedBytes;
    private String logs = "";
    private String downloadTokenSha256;
    private Instant downloadExpiresAt;
    private Instant createdAt;
    private Instant startedAt;
    private Instant finishedAt;
    private Instant updatedAt;

    protected PgTransfer() {}

    private PgTransfer(UUID appId, long num, UUID addonId, String fromType, String fromName, String toType,
                       String toName) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.num = num;
        this.addonId = addonId;
        this.fromType = fromType;
        this.fromName = fromName;
        this.toType = toType;
        this.toName = toName;
        this.state = PENDING;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    /** A backup of the add-on's database into {@code objectKey}. */
    public static PgTransfer backup(UUID appId, long num, UUID addonId, String addonName, boolean scheduled,
                                    java.util.function.Function<UUID, String> objectKey) {
        PgTransfer t = new PgTransfer(appId, num, addonId, PG_DUMP, addonName, STORE, "BACKUP");
        t.scheduled = scheduled;
        t.objectKey = objectKey.apply(t.id);
        return t;
    }

    /** A restore into the add-on's database, of a stored backup ({@code source}) or of a URL (source null). */
    public static PgTransfer restore(UUID appId, long num, UUID addonId, String addonName, PgTransfer source,
                                     String fromName) {
        PgTransfer t = new PgTransfer(appId, num, addonId, source == null ? STORE : PG_DUMP, fromName, PG_RESTORE,
                addonName);
        t.sourceId = source == null ? null : source.id;
        return t;
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public long num() { return num; }
    public UUID addonId() { return addonId; }
    public String fromType() { return fromType; }
    public String fromName() { return fromName; }
    public String toType() { return toType; }
    public String toName() { return toName; }
    public UUID sourceId() { return sourceId; }
    public String objectKey() { return objectKey; }
    public boolean scheduled() { return scheduled; }
    public String state() { return state; }
    public long processedBytes() { return processedBytes; }
    public Instant createdAt() { return createdAt; }
    public Instant startedAt() { return startedAt; }
    public Instant finishedAt() { return finishedAt; }
    public Instant updatedAt() { return updatedAt; }

    public String downloadTokenSha256() { return downloadTokenSha256; }
    public Instant downloadExpiresAt() { return downloadExpiresAt; }

    /** A download URL's token (its SHA-256 only) and when it stops working. */
    public void issueDownload(String tokenSha256, Instant expiresAt) {
        this.downloadTokenSha256 = tokenSha256;
        this.downloadExpiresAt = expiresAt;
        touch();
    }

    public boolean isBackup() {
        return PG_DUMP.equals(fromType) && STORE.equals(toType);
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(state);
    }

    /** The log lines, {@code time message}, oldest first. */
    public List<String[]> logLines() {
        List<String[]> out = new ArrayList<>();
        for (String line : logs.split("\n")) {
            if (line.isEmpty()) continue;
            int space = line.indexOf(' ');
            out.add(new String[] {line.substring(0, space), line.substring(space + 1)});
        }
        return out;
    }

    public void log(String message) {
        logs += Instant.now() + " " + message.replace('\n', ' ') + "\n";
        touch();
    }

    public void started() {
        state = RUNNING;
        startedAt = Instant.now();
        touch();
    }

    public void finished(boolean ok, long bytes) {
        state = ok ? SUCCEEDED : FAILED;
        processedBytes = bytes;
        finishedAt = Instant.now();
        touch();
    }

    private void touch() {
        updatedAt = Instant.now();
    }
}

package io.slipway.api.logdrains;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A log drain: every line of the app's log stream is also sent to {@code url} (syslog over TCP or TLS, or
 * HTTPS POSTs), tagged with {@code token} so the receiver can tell which app a line came from.
 */
@Entity
@Table(name = "log_drains")
public final class LogDrain {
    @Id
    private UUID id;
    private UUID appId;
    private String url;
    private String token;
    private Instant createdAt;
    private Instant updatedAt;

    protected LogDrain() {}

    public LogDrain(UUID appId, String url) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.url = url;
        this.token = "d." + UUID.randomUUID();
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public UUID appId() { return appId; }
    public String url() { return url; }
    public String token() { return token; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }
}

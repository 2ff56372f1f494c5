package io.slipway.api.addons.redis;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The record of one heroku-redis add-on's {@code redis-server}: its port (unique across the platform) and the
 * settings its users changed through the data API. The process itself and its data live on the Redis host.
 */
@Entity
@Table(name = "redis_instances")
public final class RedisInstance {
    /** Heroku's default idle timeout for new instances. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 300;

    @Id
    private UUID addonId;
    private int port;
    private String maxmemoryPolicy;
    private int timeoutSeconds;
    private Instant createdAt;
    private Instant updatedAt;

    protected RedisInstance() {}

    public RedisInstance(UUID addonId, int port) {
        this.addonId = addonId;
        this.port = port;
        this.timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public UUID addonId() { return addonId; }
    public int port() { return port; }
    /** Null: the plan's policy. */
    public String maxmemoryPolicy() { return maxmemoryPolicy; }
    public int timeoutSeconds() { return timeoutSeconds; }
    public Instant createdAt() { return createdAt; }

    public void maxmemoryPolicy(String policy) {
        this.maxmemoryPolicy = policy;
        this.updatedAt = Instant.now();
    }

    public void timeoutSeconds(int seconds) {
        this.timeoutSeconds = seconds;
        this.updatedAt = Instant.now();
    }
}

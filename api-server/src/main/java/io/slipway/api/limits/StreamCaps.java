package io.slipway.api.limits;

import io.slipway.api.errors.LimitReached;
import io.slipway.api.ApiServerConfig;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Per-user caps on long-lived streams (log streams, build output streams), counted per replica and charged to
 * the app's owner: stream URLs are bearer URLs, so the one account the platform can hold to a stream is the
 * owner of what it shows. Past the cap: 429 {@code rate_limit}.
 */
@Component
public class StreamCaps {
    public enum Kind { LOG("log streams"), BUILD_OUTPUT("build output streams");
        final String shown;
        Kind(String shown) { this.shown = shown; }
    }

    private final JdbcTemplate jdbc;
    private final ApiServerConfig.Limits limits;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public StreamCaps(JdbcTemplate jdbc, ApiServerConfig config) {
        this.jdbc = jdbc;
        this.limits = config.limits();
    }

    /** Takes a slot for a stream of {@code appId}; the returned action gives it back (once, however often run). */
    public Runnable acquire(Kind kind, UUID appId) {
        int max = kind == Kind.LOG ? limits.logStreamsPerUser() : limits.buildStreamsPerUser();
        String key = kind + " " + owner(appId);
        AtomicInteger n = open.computeIfAbsent(key, k -> new AtomicInteger());
        if (n.incrementAndGet() > max) {
            n.decrementAndGet();
            throw new LimitReached("This account already has " + max + " " + kind.shown
                    + " open, the most it may have at once. Close one and try again.");
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) n.decrementAndGet();
        };
    }

    private UUID owner(UUID appId) {
        List<UUID> owners = jdbc.queryForList("SELECT owner_id FROM apps WHERE id = ?", UUID.class, appId);
        return owners.isEmpty() ? appId : owners.get(0);
    }
}

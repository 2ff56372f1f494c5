package io.slipway.api.redisdata.web;

import io.slipway.api.addons.redis.RedisDatabase;
import io.slipway.api.addons.redis.RedisLimits;
import io.slipway.api.addons.redis.RedisPolicies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data API's JSON for a Redis database, in the names the stock CLI reads. {@code plan} and
 * {@code prefer_native_tls} decide how {@code redis:cli} connects: {@code hobby-*} without native TLS is the
 * one combination it opens as plain TCP to {@code resource_url}'s port (after asking the user to confirm, as
 * the password then crosses the network unencrypted); the instances here speak plain TCP only.
 */
final class RedisDatabaseView {
    private RedisDatabaseView() {}

    static Map<String, Object> of(RedisDatabase db) {
        RedisLimits limits = db.limits();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("addon_id", db.addon().id().toString());
        m.put("name", db.addon().name());
        m.put("plan", "hobby-" + db.plan().shortName());
        m.put("created_at", db.addon().createdAt().toString());
        m.put("port", db.url().port());
        m.put("resource_url", db.url().toString());
        m.put("version", db.version());
        m.put("prefer_native_tls", false);
        m.put("info", List.of(
                row("Plan", db.plan().humanName()),
                row("Status", db.available() ? "available" : "unavailable"),
                row("Created", db.addon().createdAt().toString()),
                row("Version", db.version() == null ? "unknown" : db.version()),
                row("Timeout", limits.timeoutSeconds()),
                row("Maxmemory", limits.maxmemoryPolicy()),
                row("Memory limit", limits.maxmemoryMb() == 0 ? "none" : limits.maxmemoryMb() + " MB"),
                row("Maximum clients", limits.maxClients()),
                row("Maintenance", "not required")));
        return m;
    }

    /** The answer of {@code PATCH .../config}: each setting with its value (and the policies' descriptions). */
    static Map<String, Object> config(RedisDatabase db) {
        RedisLimits limits = db.limits();
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("desc", "Sets the key eviction policy used when data reaches the memory limit.");
        policy.put("value", limits.maxmemoryPolicy());
        policy.put("values", RedisPolicies.DESCRIPTIONS);
        Map<String, Object> timeout = new LinkedHashMap<>();
        timeout.put("desc", "Sets the number of seconds to wait before killing idle connections. A value of zero means that connections will not be closed.");
        timeout.put("value", limits.timeoutSeconds());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxmemory_policy", policy);
        m.put("timeout", timeout);
        return m;
    }

    private static Map<String, Object> row(String name, Object value) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("values", List.of(value));
        return r;
    }
}

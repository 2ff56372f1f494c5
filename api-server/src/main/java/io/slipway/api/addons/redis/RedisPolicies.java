package io.slipway.api.addons.redis;

import java.util.LinkedHashMap;
import java.util.Map;

/** The eviction policies users may choose ({@code redis:maxmemory --policy}), as Heroku describes them. */
public final class RedisPolicies {
    private RedisPolicies() {}

    public static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("noeviction", "return errors when memory limit is reached");
        m.put("allkeys-lfu", "removes less frequently used keys first");
        m.put("volatile-lfu", "removes less frequently used keys first that have an expiry set");
        m.put("allkeys-lru", "evict keys trying to remove the less recently used keys first");
        m.put("volatile-lru", "evict keys trying to remove the less recently used keys first, but only among keys that have an expire set");
        m.put("allkeys-random", "evict random keys");
        m.put("volatile-random", "evict random keys, but only among keys that have an expire set");
        m.put("volatile-ttl", "evict keys with an expire set, and try to evict keys with a shorter time to live first");
        DESCRIPTIONS = java.util.Collections.unmodifiableMap(m);
    }
}

package io.slipway.shared.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reading the platform's own settings out of environment variables, the same way in every component that is
 * configured from a plain {@code Map} of them (build-worker, dyno-agent): blank counts as unset, values are
 * trimmed, and a malformed number names its variable.
 */
public final class EnvSettings {
    private EnvSettings() {}

    public static String text(Map<String, String> env, String key, String fallback) {
        String v = env.get(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /** The path in {@code key}, or null when unset. */
    public static Path path(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }

    public static long number(Map<String, String> env, String key, long fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + v + "'");
        }
    }
}

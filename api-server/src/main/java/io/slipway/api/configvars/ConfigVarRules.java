package io.slipway.api.configvars;

import io.slipway.api.errors.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a config var may look like. Keys are environment variable names every shell and language can read;
 * values become process environment, so they may not hold NUL. The total size follows Heroku's limit
 * (keys and values together at most 32 KB per app). Error messages name keys, never values: values are
 * secrets.
 */
public final class ConfigVarRules {
    public static final Pattern KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    public static final int MAX_KEY_LENGTH = 256;
    public static final int MAX_TOTAL_BYTES = 32 * 1024;

    private ConfigVarRules() {}

    public static void requireValidKey(String key) {
        if (key.length() > MAX_KEY_LENGTH) {
            throw new InvalidInput("Config var name " + shorten(key) + " is too long: at most "
                    + MAX_KEY_LENGTH + " characters.");
        }
        if (!KEY.matcher(key).matches()) {
            throw new InvalidInput("Invalid config var name " + shorten(key) + ": names must start with a "
                    + "letter or underscore and contain only letters, digits and underscores.");
        }
    }

    public static void requireValidValue(String key, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new InvalidInput("Invalid value for config var " + key + ": it may not contain NUL characters.");
        }
    }

    /** The whole resulting config must fit; checked after the change is applied, before it is saved. */
    public static void requireWithinTotal(Map<String, String> config) {
        long total = 0;
        for (var e : config.entrySet()) {
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new InvalidInput("Config vars would take " + total + " bytes; the limit is "
                    + MAX_TOTAL_BYTES + " bytes (names and values together).");
        }
    }

    private static String shorten(String key) {
        return key.length() <= 64 ? key : key.substring(0, 64) + "...";
    }
}

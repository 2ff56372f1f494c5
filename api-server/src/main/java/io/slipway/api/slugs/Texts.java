package io.slipway.api.slugs;

import io.slipway.api.errors.InvalidInput;


/**
 * Free-text fields of slugs and builds (commit, descriptions, messages) go into text columns: PostgreSQL
 * refuses NUL characters, and an unbounded field is an easy way to fill the database.
 */
public final class Texts {
    public static final int DEFAULT_MAX = 4096;

    private Texts() {}

    /** Null stays null; otherwise the value, refused (422) when too long or holding a NUL. */
    public static String check(String field, String value, int max) {
        if (value == null) return null;
        if (value.length() > max) throw new InvalidInput("`" + field + "` is longer than " + max + " characters.");
        if (value.indexOf('\0') >= 0) throw new InvalidInput("`" + field + "` must not contain NUL characters.");
        return value;
    }

    /** For text the platform writes itself from someone else's input: NULs dropped, cut to {@code max}. */
    public static String sanitize(String value, int max) {
        if (value == null) return null;
        String s = value.replace("\0", "");
        return s.length() > max ? s.substring(0, max) : s;
    }
}

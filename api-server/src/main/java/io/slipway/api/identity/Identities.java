package io.slipway.api.identity;

import java.util.UUID;

/**
 * Heroku identities are "an id or a name" ({@code app_identity}, {@code release_identity}, {@code dyno_identity}...):
 * a value that parses as a UUID is looked up as an id, anything else as the name.
 */
public final class Identities {
    private Identities() {}

    /** The UUID {@code s} spells, or null when it is a name. */
    public static UUID uuidOrNull(String s) {
        if (s == null || s.length() != 36) return null;
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

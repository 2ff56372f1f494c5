package io.slipway.api.web;

import java.util.UUID;

/** Path identities that may be a UUID or a name: only a canonical 36-character UUID counts as an id. */
public final class Uuids {
    private Uuids() {}

    public static UUID parseOrNull(String s) {
        if (s == null || s.length() != 36) return null;
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

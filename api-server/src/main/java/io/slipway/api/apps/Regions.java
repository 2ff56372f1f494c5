package io.slipway.api.apps;

import io.slipway.api.errors.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A self-hosted platform has one region; it is called {@code us} so that Heroku tooling that expects a
 * region name is satisfied. Asking for another is an error, not a silent fallback.
 */
public final class Regions {
    public static final String DEFAULT = "us";

    private Regions() {}

    public static void require(String requested) {
        if (requested != null && !requested.equals(DEFAULT) && !requested.equals(id(DEFAULT).toString())) {
            throw new InvalidInput("Region " + requested + " is not available; this platform has one region: "
                    + DEFAULT + ".");
        }
    }

    public static String nameOf(String requested) {
        return DEFAULT;
    }

    /** Stable ids derived from the name, so every replica and restart agrees. */
    public static UUID id(String name) {
        // every listed app shows its region: no MD5 per app for the one region there is
        return DEFAULT.equals(name) ? DEFAULT_ID : derive(name);
    }

    private static UUID derive(String name) {
        return UUID.nameUUIDFromBytes(("region:" + name).getBytes(StandardCharsets.UTF_8));
    }

    private static final UUID DEFAULT_ID = derive(DEFAULT);
}

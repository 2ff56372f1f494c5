package io.slipway.api.apps;

import io.slipway.api.errors.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Stacks the platform offers. The build-worker and dyno-agent map a stack name to a root file system
 * (by default the host's own, read-only); the names follow Heroku's so app.json and CLI flags keep working.
 */
public final class Stacks {
    public static final List<String> AVAILABLE = List.of("heroku-24", "heroku-22");

    private Stacks() {}

    public static String require(String requested, String fallback) {
        if (requested == null) return fallback;
        if (!AVAILABLE.contains(requested)) {
            throw new InvalidInput("Stack " + requested + " is not available. Available stacks: "
                    + String.join(", ", AVAILABLE) + ".");
        }
        return requested;
    }

    public static UUID id(String name) {
        return UUID.nameUUIDFromBytes(("stack:" + name).getBytes(StandardCharsets.UTF_8));
    }
}

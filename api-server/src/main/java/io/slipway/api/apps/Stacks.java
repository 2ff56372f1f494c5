package io.slipway.api.apps;

import io.slipway.api.errors.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Stacks the platform offers. The build-worker and dyno-agent map a stack name to a root file system
 * (by default the host's own, read-only); the names follow Heroku's so app.json and CLI flags keep working.
 * {@code container} has no root file system of its own: its apps run the images their Dockerfiles build.
 */
public final class Stacks {
    /** Dockerfile deploys: the app builds from its Dockerfile (or heroku.yml) and runs the image it makes. */
    public static final String CONTAINER = "container";
    public static final List<String> AVAILABLE = List.of("heroku-24", "heroku-22", CONTAINER);

    private Stacks() {}

    public static String require(String requested, String fallback) {
        if (requested == null) return fallback;
        if (!AVAILABLE.contains(requested)) {
            throw new InvalidInput("Stack " + requested + " is not available. Available stacks: "
                    + String.join(", ", AVAILABLE) + ".");
        }
        return requested;
    }

    /** Derived from the name; the offered stacks' ids are computed once (every listed app shows two). */
    public static UUID id(String name) {
        UUID known = name == null ? null : IDS.get(name);
        return known != null ? known : derive(name);
    }

    private static UUID derive(String name) {
        return UUID.nameUUIDFromBytes(("stack:" + name).getBytes(StandardCharsets.UTF_8));
    }

    private static final java.util.Map<String, UUID> IDS =
            AVAILABLE.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(n -> n, Stacks::derive));
}

package io.slipway.api.web;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a platform component's token may do on the internal API. Each internal controller (or handler) names the
 * roles it serves with {@link InternalApi}; a token has exactly one role, so a leaked router token cannot claim
 * builds and a build-worker's cannot read the snapshot or create users.
 */
public enum ComponentRole {
    /** A dyno-agent, for one agent id only: register, heartbeat, assignments, dyno states; events; logs. */
    AGENT("agent"),
    /** A build-worker: claim, heartbeat, output and result of builds. */
    BUILD_WORKER("build-worker"),
    /** A router: routes, events and the snapshot; logs. */
    ROUTER("router"),
    /** A git-gateway: git access (authorize, push locks, repository URLs) and SSH key lookups. */
    GIT_GATEWAY("git-gateway"),
    /** The operator's tools ({@code slipway users:create}): creating users. */
    OPERATOR("operator");

    private final String wireName;

    ComponentRole(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in {@code SLIPWAY_INTERNAL_TOKENS} and in docs. */
    public String wireName() {
        return wireName;
    }

    public static Optional<ComponentRole> fromWireName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.wireName.equals(n)).findFirst();
    }
}

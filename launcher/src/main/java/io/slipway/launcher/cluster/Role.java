package io.slipway.launcher.cluster;

/** What a cluster host runs: one process each, started by {@code deploy/bin/slipway-component} (PostgreSQL apart). */
public enum Role {
    POSTGRES("postgres"),
    OBJECT_STORE("object-store"),
    API_SERVER("api-server"),
    GIT_GATEWAY("git-gateway"),
    BUILD_WORKER("build-worker"),
    DYNO_AGENT("dyno-agent"),
    ROUTER("router");

    private final String component;

    Role(String component) {
        this.component = component;
    }

    /** The wrapper's component name, also the pid and log file name. */
    public String component() {
        return component;
    }
}

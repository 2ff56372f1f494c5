package io.slipway.dynoagent.drivers;

import java.io.IOException;

/**
 * Starts dyno processes. Two implementations: {@link RuncDynoDriver} (each dyno in its own runc container, the
 * production one) and {@link ProcessDynoDriver} (plain child processes, for development hosts without runc;
 * no isolation at all). Both pass the same conformance suite.
 */
public interface DynoDriver {
    /** {@code runc} or {@code process}. */
    String name();

    /** The path the dyno sees its app directory at ({@code /app} in a container). */
    String appPathInside(DynoSpec spec);

    RunningDyno start(DynoSpec spec) throws IOException;

    /** Kills and removes dynos a previous run of this agent left behind (it crashed or was killed). */
    void cleanupLeftovers();
}

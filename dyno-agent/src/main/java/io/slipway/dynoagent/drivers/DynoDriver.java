package io.slipway.dynoagent.drivers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts dyno processes. Two implementations: {@link RuncDynoDriver} (each dyno in its own runc container and
 * network namespace, as its app's own user: the production one) and {@link ProcessDynoDriver} (plain child
 * processes, no isolation at all: only when the operator asks for it with {@code SLIPWAY_INSECURE_DYNOS=1}).
 * Both pass the same conformance suite.
 */
public interface DynoDriver extends AutoCloseable {
    /** {@code runc} or {@code process}. */
    String name();

    /** The path the dyno sees its app directory at ({@code /app} in a container). */
    String appPathInside(DynoSpec spec);

    RunningDyno start(DynoSpec spec) throws IOException;

    /**
     * Whether this driver runs image dynos ({@link DynoSpec#image()}): the agent only fetches and unpacks an image
     * for a driver that can run it; the others refuse the dyno with a clear message in its log.
     */
    default boolean runsImages() {
        return false;
    }

    /** Why image dynos do not run here (a driver's {@link #start} says the same); null when they do. */
    default String imageProblem() {
        return runsImages() ? null : "Docker image dynos need the runc dyno driver: this agent runs dynos as plain "
                + "processes (SLIPWAY_INSECURE_DYNOS), which cannot give an image its own root file system.";
    }

    /** Kills and removes dynos a previous run of this agent left behind (it crashed or was killed). */
    void cleanupLeftovers();

    /**
     * Whether this driver's dynos outlive an agent that crashed or was killed (runc: their containers keep
     * running), so that {@link #cleanupLeftovers} has something to find and remove at the next start. False when
     * they cannot outlive it or cannot be found again (plain child processes). A capability, so callers and tests
     * never branch on which driver this is.
     */
    boolean dynosOutliveTheAgent();

    /**
     * The ids ({@link DynoSpec#id()}) of this agent's dynos whose processes exist on the host now, as the host
     * sees them (runc: its container list, which also shows an earlier run's leftovers), not as the agent
     * remembers them. A dyno is listed from its start until it exited and was cleaned up.
     */
    List<String> runningDynoIds();

    /** The uid the dynos of this app run as and own their files with; -1 when the driver does not switch users. */
    default int uidFor(String appId) throws IOException {
        return -1;
    }

    /**
     * Makes {@code slugDir}, the directory a dyno's slug is unpacked into, before the slug is: the runc driver
     * gives it a size limit of {@code bytes} (writing past it fails with ENOSPC, the host's disk is untouched).
     */
    default void prepareSlugDir(Path slugDir, long bytes, int uid) throws IOException {
        Files.createDirectories(slugDir);
    }

    /** Undoes {@link #prepareSlugDir} before the dyno's directory is deleted. */
    default void releaseSlugDir(Path slugDir) {}

    /**
     * The directory holding volume {@code volumeId} on this agent, mounted (made on first use, {@code bytes} at
     * most, its root owned by {@code uid}) and kept across the dynos that bind it. Drivers that cannot bind
     * directories into a dyno refuse, and the dyno does not start.
     */
    default Path mountVolume(String volumeId, long bytes, int uid) throws IOException {
        throw new IOException("volumes need the runc dyno driver (this agent runs dynos as plain processes)");
    }

    /** The ids of the volumes this agent holds a copy of. */
    default java.util.List<String> volumeIds() {
        return java.util.List.of();
    }

    /** Unmounts and deletes this agent's copy of a volume: its data is gone. */
    default void deleteVolume(String volumeId) {}

    /** Releases what the driver holds for all dynos (the runc driver: its network); the agent's last step. */
    @Override
    default void close() {}
}

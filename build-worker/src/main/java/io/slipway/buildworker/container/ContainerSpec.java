package io.slipway.buildworker.container;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One build step to run isolated: a command, its environment, and what it may see. The stack's root file system
 * is always mounted read-only; {@code binds} add the build's own directories under {@code /tmp} (a tmpfs owned by
 * the build user).
 *
 * @param id the runc container id (unique on this worker)
 * @param stackRoot the directory whose {@code /usr /bin /sbin /lib /lib64 /etc} the container sees read-only
 * @param memoryBytes the cgroup memory limit; a process going over it is killed
 * @param pids the cgroup limit on processes and threads
 */
public record ContainerSpec(
        String id,
        List<String> args,
        Map<String, String> env,
        String cwd,
        Path stackRoot,
        List<Bind> binds,
        long memoryBytes,
        int pids,
        int uid,
        int gid) {

    /**
     * A host directory (or file) shown inside the container at {@code destination}. {@code within} is the
     * platform's directory the source must resolve under with no symlink below it (checked by {@link OciBundle}
     * before runc starts); the three-argument form allows no symlink anywhere in the source's path.
     */
    public record Bind(Path source, String destination, boolean readOnly, Path within) {
        public Bind(Path source, String destination, boolean readOnly) {
            this(source, destination, readOnly, Path.of("/"));
        }
    }

    public ContainerSpec {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        binds = List.copyOf(binds);
    }
}

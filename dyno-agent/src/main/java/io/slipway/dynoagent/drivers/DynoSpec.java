package io.slipway.dynoagent.drivers;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One dyno process to start. The driver adds {@code PORT}, {@code DYNO}, {@code PS} and {@code HOME} to
 * {@code env} (the release's config vars), sources {@code $HOME/.profile.d/*.sh} and then runs {@code command}
 * through {@code bash -c}, so compound commands ({@code a && b}, pipes) work as in a Procfile.
 *
 * @param id unique on this agent; the runc driver prefixes it to name its container
 * @param dynoName {@code web.1}, {@code run.4021}
 * @param appDir the unpacked slug's {@code app/} directory: {@code /app} in a container
 * @param workDir a directory of this dyno's own the driver may use (OCI bundle)
 * @param port the dyno's {@code $PORT}
 * @param memoryBytes memory limit (runc only)
 * @param pids process/thread limit (runc only)
 * @param uid the app's own dyno user (runc only; {@link DynoDriver#uidFor})
 * @param tty run the command under a pseudo terminal ({@code heroku run} from a terminal)
 * @param lines receives the merged stdout/stderr line by line (null: not wanted)
 * @param raw receives the merged stdout/stderr bytes as they come (null: not wanted; attached one-offs)
 * @param volumes the app's volumes this dyno binds ({@link DynoDriver#mountVolume}); runc only
 * @param image the image this dyno runs instead of a slug, or null (a slug dyno); runc only
 */
public record DynoSpec(
        String id,
        String dynoName,
        String command,
        Map<String, String> env,
        Path appDir,
        Path workDir,
        int port,
        long memoryBytes,
        int pids,
        int uid,
        boolean tty,
        Consumer<String> lines,
        OutputStream raw,
        List<VolumeMount> volumes,
        ImageRun image) {

    /**
     * What an image dyno runs: the image's read-only root, its user, its environment (before the config vars),
     * working directory and default command ({@code entrypoint + cmd}, run when {@link #command()} is null).
     */
    public record ImageRun(Path root, int uid, int gid, String home, List<String> env, String workingDir,
                           List<String> defaultCommand) {
        public ImageRun {
            env = List.copyOf(env);
            defaultCommand = List.copyOf(defaultCommand);
        }
    }

    /** @param source the agent's directory holding the volume; @param path where the dyno sees it (below /app) */
    public record VolumeMount(Path source, String path) {}

    public DynoSpec {
        env = Map.copyOf(env);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    /** A dyno without volumes. */
    public DynoSpec(String id, String dynoName, String command, Map<String, String> env, Path appDir, Path workDir,
                    int port, long memoryBytes, int pids, int uid, boolean tty, Consumer<String> lines,
                    OutputStream raw) {
        this(id, dynoName, command, env, appDir, workDir, port, memoryBytes, pids, uid, tty, lines, raw, List.of());
    }

    /** A slug dyno. */
    public DynoSpec(String id, String dynoName, String command, Map<String, String> env, Path appDir, Path workDir,
                    int port, long memoryBytes, int pids, int uid, boolean tty, Consumer<String> lines,
                    OutputStream raw, List<VolumeMount> volumes) {
        this(id, dynoName, command, env, appDir, workDir, port, memoryBytes, pids, uid, tty, lines, raw, volumes,
                null);
    }

    /** The process type: {@code web} of {@code web.1}. */
    public String type() {
        int dot = dynoName.indexOf('.');
        return dot < 0 ? dynoName : dynoName.substring(0, dot);
    }
}

package io.slipway.buildworker.images;

import io.slipway.buildworker.container.Cancellation;
import io.slipway.buildworker.container.OutputLines;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs Buildah against the worker's own image storage ({@code --root}/{@code --runroot} under the build root,
 * shared by nobody else) with a registries file the worker writes, in which short names resolve to
 * {@code localhost} only: {@code FROM heroku-24} is the platform base image the worker loaded, never a registry's
 * ({@code bud} never pulls; an image from the registry mirror is pulled by the worker first, {@link #pull}, and
 * tagged where {@code bud} looks). Output is streamed line by line; a command over its time, or of a cancelled build, is killed with every
 * process below it (Buildah's runc and the RUN step's processes).
 */
public final class Buildah {
    private final String binary;
    private final Path root;
    private final Path runRoot;
    private final Path registriesConf;
    private final Path tmp;
    /** Where a registry pull stages its downloads: inside {@code dir}, so they count against the sized storage. */
    private final Path pullTmp;
    private final Object pulling = new Object();

    /** How a Buildah command ended; {@code exitCode} is meaningless when it timed out or was cancelled. */
    public record Outcome(int exitCode, boolean timedOut, boolean cancelled) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut && !cancelled;
        }
    }

    /**
     * @param dir the worker's image storage (it may be a sized file system)
     * @param state where the run root and registries file live: outside {@code dir}, so Buildah can still
     *        unmount and remove a build's container after a RUN step filled the storage
     */
    public Buildah(String binary, Path dir, Path state) {
        this.binary = binary;
        this.root = dir.resolve("storage").toAbsolutePath();
        this.runRoot = state.resolve("run").toAbsolutePath();
        this.registriesConf = state.resolve("registries.conf").toAbsolutePath();
        this.tmp = state.resolve("tmp").toAbsolutePath(); // RUN steps' bundles: the worker's own, not /var/tmp
        this.pullTmp = dir.resolve("pull-tmp").toAbsolutePath();
    }

    /** Writes the registries file; removes containers a killed build left (no build runs yet at start). */
    public void prepare() throws IOException {
        Files.createDirectories(root);
        Files.createDirectories(runRoot);
        Files.createDirectories(registriesConf.getParent());
        Files.createDirectories(tmp);
        Files.createDirectories(pullTmp);
        clearPullTmp(); // what a pull of a killed worker left
        KilledStepLeftovers.sweep(tmp);
        Files.writeString(registriesConf, """
                # written by the Slipway build-worker: short names are the platform's base images (or images
                # the worker pulled from its registry mirror), in this storage as localhost/<name>:<tag>; no
                # registry is searched
                unqualified-search-registries = ["localhost"]
                short-name-mode = "permissive"
                """);
        removeContainers();
    }

    /** Removes every working container: what failed or killed builds left, and the space their steps wrote. */
    public void removeContainers() throws IOException {
        run(List.of("rm", "--all"), Duration.ofMinutes(2), line -> {}, new Cancellation(), null);
    }

    /**
     * Removes working containers and unmounts what Buildah's storage left mounted (a killed build leaves its
     * layers mounted), so the worker leaves no mount behind when it stops. The layers stay: they are the cache.
     */
    public void shutdown() {
        try {
            run(List.of("rm", "--all"), Duration.ofMinutes(2), line -> {}, new Cancellation(), null);
            List<String> mounts = new ArrayList<>(io.slipway.shared.sandbox.SizedDisk.mountPoints().stream()
                    .filter(m -> m.startsWith(root + "/") || m.equals(root.toString()) || m.startsWith(runRoot + "/"))
                    .toList());
            mounts.sort(java.util.Comparator.reverseOrder()); // deepest first
            for (String mount : mounts) {
                Process p = new ProcessBuilder("umount", mount).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        } catch (IOException e) {
            // nothing mounted, or nothing we can do about it now: the next start cleans up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when Buildah can be run at all (it is optional: only Dockerfile builds need it). */
    public static boolean available(String binary) {
        try {
            Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code buildah <args>} and answers its whole output (for short commands: inspect, tag, pull). */
    public String output(List<String> args, Duration timeout) throws IOException {
        return output(args, timeout, null);
    }

    private String output(List<String> args, Duration timeout, Path workingDir) throws IOException {
        StringBuilder out = new StringBuilder();
        Outcome outcome = run(args, timeout, line -> {
            if (out.length() < 1 << 20) out.append(line).append('\n');
        }, new Cancellation(), null, workingDir);
        if (!outcome.succeeded()) {
            String text = out.toString().strip();
            throw new IOException("buildah " + args.get(0) + " failed (exit " + outcome.exitCode() + "): "
                    + (text.length() > 500 ? text.substring(text.length() - 500) : text));
        }
        return out.toString();
    }

    /**
     * Loads an OCI layout into the storage and answers the image id. Buildah names a pulled layout after its
     * path, and refuses a path with capital letters (an operator's data directory may have some): so the pull
     * runs in the layout's parent directory with the layout's own (lower-case) name only.
     */
    public String pullLayout(Path layout) throws IOException {
        return pullLayout(layout, null);
    }

    /** The same for one image of a layout holding several, by its {@code org.opencontainers.image.ref.name}. */
    public String pullLayout(Path layout, String ref) throws IOException {
        String dirName = layout.getFileName().toString();
        if (!dirName.equals(dirName.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("an OCI layout to pull needs a lower-case directory name: " + dirName);
        }
        String source = "oci:" + dirName + (ref == null ? "" : ":" + ref);
        return output(List.of("pull", "--quiet", source), Duration.ofMinutes(30), layout.getParent());
    }

    /**
     * {@code buildah pull <options> <source>} from a registry, killed after {@code timeout} or on cancellation.
     * Its downloads are staged in the storage's own file system (not {@code /var/tmp}), so a pull counts against
     * the sized image storage like the layers it becomes. One pull at a time: what a killed pull left staged is
     * deleted after it, when no other pull can be using the directory.
     */
    Outcome pull(List<String> options, String source, Duration timeout, Consumer<String> lines,
                 Cancellation cancellation) throws IOException {
        List<String> args = new ArrayList<>(List.of("pull"));
        args.addAll(options);
        args.add(source);
        synchronized (pulling) {
            try {
                return run(args, timeout, lines, cancellation, null, null, pullTmp);
            } finally {
                clearPullTmp();
            }
        }
    }

    private void clearPullTmp() throws IOException {
        if (!Files.isDirectory(pullTmp)) return;
        try (var leftovers = Files.list(pullTmp)) {
            for (Path p : leftovers.toList()) io.slipway.shared.fs.TreeDelete.deleteOrThrow(p);
        }
    }

    /** True when the command succeeds (for existence checks: {@code inspect}). */
    public boolean succeeds(List<String> args) throws IOException {
        return run(args, Duration.ofMinutes(1), line -> {}, new Cancellation(), null).succeeded();
    }

    /**
     * Runs {@code buildah <args>}, each output line (stdout and stderr) to {@code lines}. Killed after
     * {@code timeout} or when {@code cancellation} fires: Buildah and everything under it, and every process in
     * {@code cgroup} when given.
     */
    Outcome run(List<String> args, Duration timeout, Consumer<String> lines, Cancellation cancellation,
                BuildCgroup cgroup) throws IOException {
        return run(args, timeout, lines, cancellation, cgroup, null, tmp);
    }

    private Outcome run(List<String> args, Duration timeout, Consumer<String> lines, Cancellation cancellation,
                        BuildCgroup cgroup, Path workingDir) throws IOException {
        return run(args, timeout, lines, cancellation, cgroup, workingDir, tmp);
    }

    private Outcome run(List<String> args, Duration timeout, Consumer<String> lines, Cancellation cancellation,
                        BuildCgroup cgroup, Path workingDir, Path tmpDir) throws IOException {
        if (cancellation.isCancelled()) return new Outcome(-1, false, true);
        List<String> command = new ArrayList<>(List.of(binary, "--root", root.toString(), "--runroot",
                runRoot.toString(), "--storage-driver", "overlay"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (workingDir != null) builder.directory(workingDir.toFile());
        builder.environment().put("CONTAINERS_REGISTRIES_CONF", registriesConf.toString());
        builder.environment().put("TMPDIR", tmpDir.toString());
        builder.environment().remove("BUILDAH_ISOLATION"); // the worker says --isolation itself
        builder.environment().remove("BUILDAH_LAYERS");
        Process process = builder.start();
        Thread pump = OutputLines.pump(process.getInputStream(), lines, "buildah-output");
        boolean[] timedOut = {false};
        try (AutoCloseable ignored = cancellation.onCancel(() -> kill(process, cgroup))) {
            if (!process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                timedOut[0] = true;
                kill(process, cgroup);
                process.waitFor(30, TimeUnit.SECONDS);
            }
            pump.join(10_000);
            Outcome outcome = new Outcome(process.isAlive() ? -1 : process.exitValue(), timedOut[0],
                    cancellation.isCancelled());
            if (outcome.timedOut() || outcome.cancelled()) KilledStepLeftovers.sweep(tmp);
            return outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process, cgroup);
            KilledStepLeftovers.sweep(tmp);
            return new Outcome(-1, false, true);
        } catch (Exception e) {
            kill(process, cgroup);
            if (e instanceof IOException io) throw io;
            throw new IOException(e);
        }
    }

    /** The RUN step's processes first (so nothing is left behind), then Buildah's own tree. */
    private static void kill(Process process, BuildCgroup cgroup) {
        if (cgroup != null) cgroup.killAll();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (cgroup != null) cgroup.killAll();
    }

}

package io.slipway.buildworker.run;

import io.slipway.buildworker.buildpacks.Buildpack;
import io.slipway.buildworker.container.Cancellation;
import io.slipway.buildworker.container.ContainerSpec;
import io.slipway.buildworker.container.RuncRunner;
import io.slipway.buildworker.procfile.ReleaseYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the buildpack API's three steps, each in its own container: {@code bin/detect BUILD_DIR},
 * {@code bin/compile BUILD_DIR CACHE_DIR ENV_DIR} (one container per buildpack, with every earlier buildpack's
 * {@code export} file sourced first) and {@code bin/release BUILD_DIR}. Inside, the app is {@code /tmp/build},
 * the cache {@code /tmp/cache}, config vars {@code /tmp/env}, buildpack n {@code /tmp/buildpacks/n} (read-only,
 * except its {@code export} file) and results the worker reads back {@code /tmp/slipway}.
 */
final class BuildpackSteps {
    static final String BUILD_DIR = "/tmp/build";
    private static final String DETECT = """
            mode=$1; shift
            for n in "$@"; do
              if /tmp/buildpacks/$n/bin/detect /tmp/build > /tmp/slipway/detect-$n; then
                echo "$n 0" >> /tmp/slipway/detect
                [ "$mode" = first ] && exit 0
              else
                echo "$n $?" >> /tmp/slipway/detect
                [ "$mode" = all ] && exit 0
              fi
            done
            exit 0
            """;
    private static final String COMPILE = """
            n=$1; shift
            for e in "$@"; do
              if [ -s /tmp/buildpacks/$e/export ]; then . /tmp/buildpacks/$e/export; fi
            done
            exec /tmp/buildpacks/$n/bin/compile /tmp/build /tmp/cache /tmp/env
            """;
    private static final String RELEASE = """
            for n in "$@"; do
              [ -x /tmp/buildpacks/$n/bin/release ] || continue
              /tmp/buildpacks/$n/bin/release /tmp/build > /tmp/slipway/release-$n.yml || { echo "$n" > /tmp/slipway/release-failed; exit 1; }
            done
            """;

    /** A buildpack whose detect passed, with the name it printed ("Node.js"). */
    record Detected(int index, Buildpack buildpack, String name) {}

    private final RuncRunner runner;
    private final BuildDirs dirs;
    private final Path stackRoot;
    private final List<Buildpack> buildpacks;
    private final Map<String, String> env;
    private final String containerPrefix;
    private final long memoryBytes;
    private final int pids;
    private final int uid;
    private final int gid;
    private final Instant deadline;
    private final Duration timeout;
    private final BuildLog log;
    private final Cancellation cancellation;
    private int step;

    BuildpackSteps(RuncRunner runner, BuildDirs dirs, Path stackRoot, List<Buildpack> buildpacks,
                   Map<String, String> env, String containerPrefix, long memoryBytes, int pids, int uid, int gid,
                   Duration timeout, BuildLog log, Cancellation cancellation) {
        this.runner = runner;
        this.dirs = dirs;
        this.stackRoot = stackRoot;
        this.buildpacks = buildpacks;
        this.env = env;
        this.containerPrefix = containerPrefix;
        this.memoryBytes = memoryBytes;
        this.pids = pids;
        this.uid = uid;
        this.gid = gid;
        this.timeout = timeout;
        this.deadline = Instant.now().plus(timeout);
        this.log = log;
        this.cancellation = cancellation;
    }

    /**
     * @param firstMatch true when the app set no buildpack: the first built-in that detects builds it; false
     *        when the app set them: every one must detect
     * @return the buildpacks to compile with, in order; empty when none detected (the caller reports it)
     */
    List<Detected> detect(boolean firstMatch) throws IOException, BuildFailedException, BuildCancelledException {
        List<String> args = new ArrayList<>(List.of("/bin/bash", "-c", DETECT, "detect", firstMatch ? "first" : "all"));
        for (int i = 0; i < buildpacks.size(); i++) args.add(String.valueOf(i));
        RuncRunner.Outcome outcome = run("detect", args, log::line);
        if (!outcome.succeeded()) stepFailed(outcome, "Detecting the buildpack failed");
        List<Detected> detected = new ArrayList<>();
        List<String> lines = BuildFiles.read(dirs.results(), "detect", "the detect results").map(String::lines)
                .map(java.util.stream.Stream::toList).orElse(List.of());
        for (String line : lines) {
            String[] parts = line.trim().split(" ");
            if (parts.length != 2) continue;
            int n;
            try {
                n = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                continue; // the build can write here too: only the worker's own lines count
            }
            if (n < 0 || n >= buildpacks.size()) continue;
            Buildpack bp = buildpacks.get(n);
            if (!parts[1].equals("0")) {
                if (!firstMatch) throw new NotCompatibleException(bp);
                continue;
            }
            detected.add(new Detected(n, bp, nameFrom(dirs.results(), n, bp)));
        }
        return detected;
    }

    /** Compiles with each buildpack in turn; a failing one fails the build with Heroku's message. */
    void compile(List<Detected> detected) throws IOException, BuildFailedException, BuildCancelledException {
        List<Integer> before = new ArrayList<>();
        for (Detected d : detected) {
            log.header(d.name() + " app detected");
            List<String> args = new ArrayList<>(List.of("/bin/bash", "-c", COMPILE, "compile", String.valueOf(d.index())));
            before.forEach(i -> args.add(String.valueOf(i)));
            RuncRunner.Outcome outcome = run("compile-" + d.index(), args, log::line);
            if (outcome.cancelled()) throw new BuildCancelledException(cancellation.reason());
            if (outcome.timedOut()) {
                String message = "Timed out compiling " + d.name() + " app (" + describe(timeout) + ")";
                log.error(message);
                throw BuildFailedException.shown(message);
            }
            if (outcome.exitCode() != 0) {
                if (outcome.exitCode() == 137) {
                    log.error("The build was killed (exit 137): it may have gone over its memory limit of "
                            + (memoryBytes >> 20) + "M.");
                }
                String message = "Push rejected, failed to compile " + d.name() + " app.";
                log.error(message);
                throw BuildFailedException.shown(message);
            }
            before.add(d.index());
        }
    }

    /** Runs every {@code bin/release}; later buildpacks' defaults win over earlier ones'. */
    Map<String, String> releaseDefaults(List<Detected> detected)
            throws IOException, BuildFailedException, BuildCancelledException {
        List<String> args = new ArrayList<>(List.of("/bin/bash", "-c", RELEASE, "release"));
        detected.forEach(d -> args.add(String.valueOf(d.index())));
        RuncRunner.Outcome outcome = run("release", args, log::line);
        Optional<String> failed = BuildFiles.read(dirs.results(), "release-failed", "the release results");
        if (failed.isPresent()) {
            String which = failed.get().trim();
            String reference = which.matches("[0-9]{1,4}") && Integer.parseInt(which) < buildpacks.size()
                    ? buildpacks.get(Integer.parseInt(which)).reference() : "(unknown)";
            String message = "Push rejected, bin/release of buildpack " + reference + " failed.";
            log.error(message);
            throw BuildFailedException.shown(message);
        }
        if (!outcome.succeeded()) stepFailed(outcome, "Running bin/release failed");
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Detected d : detected) {
            String name = "release-" + d.index() + ".yml";
            Optional<String> yaml = BuildFiles.read(dirs.results(), name, "the output of bin/release");
            if (yaml.isEmpty()) continue;
            try {
                defaults.putAll(ReleaseYaml.defaultProcessTypes(yaml.get()));
            } catch (ReleaseYaml.InvalidReleaseYaml e) {
                String message = "Push rejected, bin/release of buildpack " + d.buildpack().reference()
                        + " printed " + e.getMessage();
                log.error(message);
                throw BuildFailedException.shown(message);
            }
        }
        return defaults;
    }

    private void stepFailed(RuncRunner.Outcome outcome, String what) throws BuildFailedException,
            BuildCancelledException {
        if (outcome.cancelled()) throw new BuildCancelledException(cancellation.reason());
        String message = outcome.timedOut() ? "Build timed out (" + describe(timeout) + ")"
                : what + " (exit " + outcome.exitCode() + ").";
        log.error(message);
        throw BuildFailedException.shown(message);
    }

    private RuncRunner.Outcome run(String name, List<String> args, java.util.function.Consumer<String> output)
            throws IOException, BuildCancelledException {
        if (cancellation.isCancelled()) throw new BuildCancelledException(cancellation.reason());
        List<ContainerSpec.Bind> binds = new ArrayList<>();
        // every source must resolve to itself under the build's own directory (no link a build or an archive
        // planted): built-in buildpacks live in the operator's directory and are checked against themselves
        Path own = dirs.root();
        binds.add(new ContainerSpec.Bind(dirs.build(), BUILD_DIR, false, own));
        binds.add(new ContainerSpec.Bind(dirs.cache(), "/tmp/cache", false, own));
        binds.add(new ContainerSpec.Bind(dirs.env(), "/tmp/env", true, own));
        binds.add(new ContainerSpec.Bind(dirs.results(), "/tmp/slipway", false, own));
        for (int i = 0; i < buildpacks.size(); i++) {
            Path dir = buildpacks.get(i).dir();
            Path within = dir.toAbsolutePath().normalize().startsWith(own.toAbsolutePath().normalize()) ? own : dir;
            binds.add(new ContainerSpec.Bind(dir, "/tmp/buildpacks/" + i, true, within));
            binds.add(new ContainerSpec.Bind(dirs.exportFile(i, uid, gid), "/tmp/buildpacks/" + i + "/export", false,
                    own));
        }
        ContainerSpec spec = new ContainerSpec(containerPrefix + "-" + (++step) + "-" + name, args, env, BUILD_DIR,
                stackRoot, binds, memoryBytes, pids, uid, gid);
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) return new RuncRunner.Outcome(-1, true, false);
        return runner.run(spec, dirs.bundles().resolve(spec.id()), left, output, output, cancellation);
    }

    private static String nameFrom(Path results, int n, Buildpack bp) throws IOException, BuildFailedException {
        Optional<String> output = BuildFiles.read(results, "detect-" + n, "the output of bin/detect");
        if (output.isPresent()) {
            for (String line : output.get().split("\n")) {
                if (!line.isBlank()) return line.strip();
            }
        }
        String ref = bp.reference();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    /** "15 minutes", "1 minute", "90 seconds". */
    static String describe(Duration d) {
        long s = d.toSeconds();
        if (s % 60 == 0) return (s / 60) + (s == 60 ? " minute" : " minutes");
        return s + (s == 1 ? " second" : " seconds");
    }

    /** An explicitly set buildpack's detect did not pass. */
    static final class NotCompatibleException extends BuildFailedException {
        NotCompatibleException(Buildpack bp) {
            super("App not compatible with buildpack: " + bp.reference());
        }
    }
}

package io.slipway.buildworker.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cgroup one image build's {@code RUN} containers live in, given to Buildah as {@code --cgroup-parent}:
 * Buildah 1.28 has no pids limit for {@code bud} (and ignores {@code containers.conf}'s {@code pids_limit}), and
 * runc uses the parent path as the container's own cgroup and removes it when a step ends, so the worker makes
 * {@code /<name>} with {@code pids.max} itself and hands Buildah {@code /<name>/run} below it: every step is
 * capped by the parent's limit. It is also how a cancelled build is stopped for sure: every process in it is
 * killed, whoever its parent is.
 */
final class BuildCgroup implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private final String name;
    private final Path pidsDir;

    private BuildCgroup(String name, Path pidsDir) {
        this.name = name;
        this.pidsDir = pidsDir;
    }

    /** Makes the build's cgroup with its pids limit (cgroup v1 {@code pids} controller, or v2). */
    static BuildCgroup create(String name, int pidsLimit) throws IOException {
        boolean v2 = Files.exists(ROOT.resolve("cgroup.controllers"));
        Path dir = v2 ? ROOT.resolve(name) : ROOT.resolve("pids").resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pids.max"), String.valueOf(pidsLimit));
        return new BuildCgroup(name, dir);
    }

    /** What Buildah's {@code --cgroup-parent} gets: a child runc creates and removes for every step. */
    String parentForBuildah() {
        return "/" + name + "/run";
    }

    /** Kills every process of the build (its RUN steps), until none is left or the attempts run out. */
    void killAll() {
        for (int attempt = 0; attempt < 50; attempt++) {
            List<Long> pids = pids();
            if (pids.isEmpty()) return;
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Thread.sleep(20); // the kernel needs a moment to reap them before the next look
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.walk(pidsDir)) {
            for (Path procs : files.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                for (String line : Files.readAllLines(procs)) {
                    if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone already
        }
        return pids;
    }

    /** Kills what is left and removes the cgroup from every hierarchy runc created it in. */
    @Override
    public void close() {
        killAll();
        List<Path> hierarchies = new ArrayList<>();
        if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
            hierarchies.add(ROOT);
        } else {
            try (Stream<Path> list = Files.list(ROOT)) {
                list.filter(Files::isDirectory).forEach(hierarchies::add);
            } catch (IOException e) {
                return;
            }
        }
        for (Path hierarchy : hierarchies) {
            Path dir = hierarchy.resolve(name);
            if (!Files.isDirectory(dir)) continue;
            try {
                Files.deleteIfExists(dir.resolve("run")); // cgroup directories go with rmdir, their files with them
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // still busy or not ours to remove: left for the next start's cleanup
            }
        }
    }
}

package io.slipway.buildworker.run;

import io.slipway.buildworker.fs.Directories;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.shared.sandbox.SizedDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * One build's directories on the worker, all under {@code <build root>/builds/<build id>/}: the app
 * ({@code build}, BUILD_DIR), the restored cache ({@code cache}), config vars ({@code env}, ENV_DIR), results the
 * containers write ({@code results}), per-buildpack export files, fetched buildpacks, OCI bundles and scratch
 * space for archives. Deleted when the build ends. With a disk cap, {@code <build id>} is a sized file system of
 * its own ({@code <build id>.img} beside it): a build that writes past the cap gets ENOSPC, the host's disk is
 * untouched.
 */
public record BuildDirs(Path root, Path build, Path cache, Path env, Path results, Path exports, Path buildpacks,
                        Path bundles, Path scratch) {

    public static BuildDirs create(Path buildRoot, String buildId) throws IOException {
        return create(buildRoot, buildId, 0);
    }

    /** @param diskBytes the most the build may write to all of its directories together (0: no cap) */
    public static BuildDirs create(Path buildRoot, String buildId, long diskBytes) throws IOException {
        Path root = buildRoot.resolve("builds").resolve(buildId);
        SizedDisk.unmount(image(root), root);
        TreeDelete.deleteOrThrow(root);
        Files.createDirectories(root);
        if (diskBytes > 0) SizedDisk.mount(image(root), root, diskBytes, 0, 0);
        // config vars are secrets: nobody but root (and, through its mounts, the build) looks inside
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        BuildDirs dirs = new BuildDirs(root, root.resolve("build"), root.resolve("cache"), root.resolve("env"),
                root.resolve("results"), root.resolve("exports"), root.resolve("buildpacks"),
                root.resolve("bundles"), root.resolve("scratch"));
        for (Path p : new Path[] {dirs.build, dirs.cache, dirs.env, dirs.results, dirs.exports, dirs.buildpacks,
                dirs.bundles, dirs.scratch}) {
            Files.createDirectories(p);
        }
        return dirs;
    }

    /** ENV_DIR: one file per config var, named by the key, holding the value (the buildpack API's format). */
    public void writeEnv(Map<String, String> configVars) throws IOException {
        for (Map.Entry<String, String> var : configVars.entrySet()) {
            if (!var.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) continue; // never a path
            Files.writeString(env.resolve(var.getKey()), var.getValue());
        }
    }

    /** The export file buildpack number {@code n} may write (mounted over its {@code export}). */
    public Path exportFile(int n, int uid, int gid) throws IOException {
        Path file = exports.resolve(String.valueOf(n));
        if (!Files.exists(file)) {
            Files.createFile(file);
            Directories.chown(file, uid, gid);
        }
        return file;
    }

    /** Gives what the build may write to the build user. */
    public void handOver(int uid, int gid) throws IOException {
        for (Path p : new Path[] {build, cache, env, results, exports}) Directories.chownTree(p, uid, gid);
    }

    private static Path image(Path root) {
        return root.resolveSibling(root.getFileName() + ".img");
    }

    public void delete() throws IOException {
        SizedDisk.unmount(image(root), root);
        TreeDelete.deleteOrThrow(root);
    }
}

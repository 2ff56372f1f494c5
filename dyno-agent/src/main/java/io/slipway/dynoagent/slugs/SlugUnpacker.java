package io.slipway.dynoagent.slugs;

import io.slipway.shared.archive.SafeUntar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Unpacks a slug into a dyno's own directory: the tarball's {@code app/} directory becomes the dyno's
 * {@code /app}. With the runc driver everything is owned by the app's own dyno uid/gid, so the app can write to
 * its own directory and no other app's user can.
 */
public final class SlugUnpacker {
    private static final long MAX_BYTES = 4L * 1024 * 1024 * 1024;

    private SlugUnpacker() {}

    /**
     * Unpacks into {@code <dynoDir>/slug} and answers its {@code app} directory.
     *
     * @param uid the owner (uid and gid) of every unpacked file, or -1 to leave the agent's own
     */
    public static Path unpack(Path tarball, Path dynoDir, int uid) throws IOException {
        Path dest = dynoDir.resolve("slug");
        SafeUntar.extract(tarball, dest, MAX_BYTES);
        Path app = dest.resolve("app");
        if (!Files.isDirectory(app, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(app); // an empty slug still gets an /app
        }
        if (uid >= 0) {
            try (Stream<Path> all = Files.walk(dest)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        return app;
    }

    /** Deletes a directory tree, not following links (a dyno may have left links to anywhere). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a busy file goes with the next cleanup
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}

package io.slipway.dynoagent.slugs;

import io.slipway.shared.archive.ExtractionPolicy;
import io.slipway.shared.archive.SafeUntar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

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
     * @param uid the owner (uid and gid) of every unpacked file, whatever the archive says, or -1 to leave the
     *            agent's own
     */
    public static Path unpack(Path tarball, Path dynoDir, int uid) throws IOException {
        Path dest = dynoDir.resolve("slug");
        ExtractionPolicy policy = ExtractionPolicy.limitedTo(MAX_BYTES);
        SafeUntar.extract(tarball, dest, uid >= 0 ? policy.ownedBy(uid, uid) : policy);
        Path app = dest.resolve("app");
        if (!Files.exists(app, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(app); // an empty slug still gets an /app
            if (uid >= 0) {
                Files.setAttribute(app, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(app, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            }
        } else if (!Files.isDirectory(app, LinkOption.NOFOLLOW_LINKS)) {
            // a slug whose app/ is a link (to /, through a chain of links...) would become the dyno's /app
            throw new SafeUntar.UnsafeArchiveException("the slug's app/ is "
                    + (Files.isSymbolicLink(app) ? "a symbolic link" : "not a directory") + "; refusing to run it");
        }
        return app;
    }
}

package io.slipway.api.appsetups;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Finds {@code app.json} in a user's source tarball without unpacking anything: Commons Compress reads the tar
 * stream, and only the one entry's bytes are kept, up to {@link #MAX_BYTES}. It is {@code app.json} at the root,
 * else {@code <dir>/app.json} under a single top-level directory (GitHub's tarballs). A link, a device or
 * anything but a regular file under that name is refused rather than followed: a tenant must not make the
 * api-server read another file through it.
 */
public final class AppJsonReader {
    /** app.json files are a few KiB; this keeps a hostile one from costing memory. */
    public static final int MAX_BYTES = 64 * 1024;

    private AppJsonReader() {}

    /** The manifest cannot be used; the message is for {@code failure_message}. */
    public static final class RefusedException extends IOException {
        public RefusedException(String message) { super(message); }
    }

    /** The text of app.json, or empty when the tarball has none. */
    public static Optional<String> read(InputStream gzipped) throws IOException {
        String nested = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(gzipped)))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String name = e.getName();
                while (name.startsWith("./")) name = name.substring(2);
                if (name.endsWith("/")) name = name.substring(0, name.length() - 1); // a directory: refused below
                boolean root = name.equals("app.json");
                boolean underTop = !root && name.endsWith("/app.json") && name.indexOf('/') == name.length() - "/app.json".length()
                        && name.indexOf('/') > 0;
                if (!root && !(underTop && nested == null)) continue;
                if (!e.isFile() || e.isSymbolicLink() || e.isLink()) {
                    throw new RefusedException("app.json must be a regular file, not a link or a special file.");
                }
                if (e.getSize() > MAX_BYTES) throw tooLarge();
                String text = readCapped(tar);
                if (root) return Optional.of(text);
                nested = text;
            }
        } catch (RefusedException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new RefusedException("The source archive is not a valid tar.gz: " + e.getMessage());
        }
        return Optional.ofNullable(nested);
    }

    private static String readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (out.size() + n > MAX_BYTES) throw tooLarge();
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static RefusedException tooLarge() {
        return new RefusedException("app.json is larger than " + MAX_BYTES / 1024 + " KiB.");
    }
}

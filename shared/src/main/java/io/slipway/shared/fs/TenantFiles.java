package io.slipway.shared.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Reads a file that a tenant's code could have written (a build's results, its {@code Procfile},
 * {@code .slugignore}, release YAML) from a process that runs as root. The file is looked at and opened without
 * following links, must be a regular file (a FIFO would block the reader, a device or socket means nothing) and
 * is read up to a cap. Anything else is a {@link NotARegularFileException} whose message the caller may show the
 * tenant: it names only the tenant's own path, never what a link pointed at.
 *
 * <p>The directory the file sits in must be the platform's own (created by it, with no tenant-writable parent):
 * only the last component comes from the tenant. Tenant processes are stopped while the platform reads (build
 * steps have ended), so the check and the open see the same file.
 */
public final class TenantFiles {
    private TenantFiles() {}

    /** The tenant put a symlink, directory, FIFO, device or socket where a file was expected, or too big a file. */
    public static final class NotARegularFileException extends IOException {
        public NotARegularFileException(String message) { super(message); }
    }

    /**
     * @param dir the platform's directory
     * @param name one path component the tenant controls ({@code Procfile}, {@code detect-0})
     * @param shownAs how to name the file in a message ({@code "Procfile"})
     * @return the file's text, or empty when there is no such file
     */
    public static Optional<String> readString(Path dir, String name, String shownAs, long maxBytes) throws IOException {
        if (name.contains("/") || name.equals("..") || name.equals(".")) {
            throw new IllegalArgumentException("not a single path component: " + name);
        }
        Path file = dir.resolve(name);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (attrs.isSymbolicLink()) throw new NotARegularFileException(shownAs + " is a symbolic link; it was not read");
        if (!attrs.isRegularFile()) throw new NotARegularFileException(shownAs + " is not a regular file; it was not read");
        if (attrs.size() > maxBytes) {
            throw new NotARegularFileException(shownAs + " is larger than " + maxBytes + " bytes; it was not read");
        }
        // O_NOFOLLOW as well: a link swapped in after the check fails the open instead of being followed
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] data = in.readNBytes((int) maxBytes + 1);
            if (data.length > maxBytes) {
                throw new NotARegularFileException(shownAs + " is larger than " + maxBytes + " bytes; it was not read");
            }
            return Optional.of(new String(data, StandardCharsets.UTF_8));
        } catch (java.nio.file.FileSystemException e) {
            if (e instanceof NoSuchFileException) return Optional.empty();
            throw new NotARegularFileException(shownAs + " could not be opened without following links; it was not read");
        }
    }

    /** Whether {@code dir/name} exists at all, link or not (never followed). */
    public static boolean exists(Path dir, String name) {
        return Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }
}

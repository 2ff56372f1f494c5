package io.slipway.shared.fs;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes a directory tree that a tenant's code may have written (a slug, build output, a pushed repository, an
 * imported image), from a process that runs as root. The one tree delete of the platform:
 * <ul>
 *   <li>It never follows a symbolic link: a link is removed, not what it points at. Each directory is opened
 *       relative to its parent's open descriptor with {@code O_NOFOLLOW} ({@link SecureDirectoryStream}), so a
 *       directory a tenant swaps for a link while the delete runs fails to open instead of being listed
 *       through; a path-based walk would delete the link target's children.</li>
 *   <li>It never descends into a mount point still mounted (a dyno's slug or volume mount that an agent killed
 *       mid-way left): that subtree is skipped and reported, so a volume's data is never wiped through it.</li>
 *   <li>A tree that vanishes while it runs (another cleanup) is not an error.</li>
 * </ul>
 * What could not be deleted comes back to the caller: {@link #delete} answers it, {@link #deleteOrThrow} throws
 * it for strict callers, {@link #deleteOrLog} logs it for best-effort ones. Commons IO's {@code FileUtils} and
 * Spring's {@code FileSystemUtils} follow no links either but walk straight through mount points, hence this class.
 */
public final class TreeDelete {
    private static final System.Logger LOG = System.getLogger(TreeDelete.class.getName());

    private TreeDelete() {}

    /**
     * Deletes {@code root} (a directory, file or link) and what is below it, links and mount points excepted.
     *
     * @return what was left behind, one entry per path with the reason; empty when {@code root} is gone
     */
    public static List<String> delete(Path root) {
        List<String> left = new ArrayList<>();
        try {
            Path absolute = root.toAbsolutePath().normalize();
            if (absolute.getParent() == null) {
                left.add(root + " (refusing to delete the file system's root)");
                return left;
            }
            // the parent is resolved, the last component not: a root that is itself a link is removed as a link.
            // /proc/self/mountinfo names mount points by their canonical path, so the walk uses canonical paths.
            Path parent = absolute.getParent().toRealPath();
            Path start = parent.resolve(absolute.getFileName());
            Set<Path> mounts = mountPointsUnder(start);
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(parent)) {
                if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
                    left.add(root + " (this platform cannot delete without following links)");
                    return left;
                }
                new Walk(mounts, left).remove(secure, start, null);
            }
        } catch (NoSuchFileException gone) {
            // deleted under us (or never there): nothing is left
        } catch (IOException | RuntimeException e) {
            left.add(root + " (" + e + ")");
        }
        return left;
    }

    /** For strict callers: deletes as {@link #delete} does, or throws an exception naming what was left. */
    public static void deleteOrThrow(Path root) throws IOException {
        List<String> left = delete(root);
        if (!left.isEmpty()) throw new IOException("could not delete all of " + root + ": " + summary(left));
    }

    /** For best-effort callers (what stays goes with the next cleanup): deletes, and logs what was left. */
    public static void deleteOrLog(Path root) {
        List<String> left = delete(root);
        if (!left.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "could not delete all of " + root + ": " + summary(left));
        }
    }

    /** The first ten leftovers: a tree of a million busy files must not make a million-entry message. */
    public static String summary(List<String> left) {
        return String.join(", ", left.subList(0, Math.min(left.size(), 10)))
                + (left.size() > 10 ? " and " + (left.size() - 10) + " more" : "");
    }

    private record Walk(Set<Path> mounts, List<String> left) {
        /**
         * Removes the entry {@code path} of the open directory {@code dir}.
         *
         * @param device the device of the directory the walk started in, null for the start itself
         */
        void remove(SecureDirectoryStream<Path> dir, Path path, Object device) throws IOException {
            Path name = path.getFileName();
            BasicFileAttributes attrs;
            try {
                attrs = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (NoSuchFileException gone) {
                return;
            }
            try {
                if (!attrs.isDirectory()) { // a link (never followed), file, FIFO, socket or device node
                    dir.deleteFile(name);
                    return;
                }
                Object here = Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
                // a bind mount of the same file system keeps the device number, so mountinfo is asked too; the
                // device check catches a mount made after mountinfo was read
                if (mounts.contains(path) || (device != null && !device.equals(here))) {
                    left.add(path + " (still mounted)");
                    return;
                }
                int reported = left.size();
                try (SecureDirectoryStream<Path> children = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    for (Path child : children) removeChild(children, path.resolve(child.getFileName()), here);
                } catch (DirectoryIteratorException e) {
                    throw e.getCause();
                }
                try {
                    dir.deleteDirectory(name);
                } catch (DirectoryNotEmptyException e) {
                    // what was left below (a mount point) is already reported; else something was written into
                    // it while the delete ran
                    if (left.size() == reported) left.add(path + " (written to while being deleted)");
                }
            } catch (NoSuchFileException gone) {
                // deleted under us
            }
        }

        /** One child: its failure is reported and the walk goes on with its siblings. */
        private void removeChild(SecureDirectoryStream<Path> dir, Path path, Object device) {
            try {
                remove(dir, path, device);
            } catch (IOException | RuntimeException e) {
                left.add(path + " (" + e + ")");
            }
        }
    }

    private static Set<Path> mountPointsUnder(Path root) {
        Set<Path> found = new HashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length < 5) continue;
                Path point = Path.of(unescape(f[4]));
                if (point.startsWith(root)) found.add(point);
            }
        } catch (IOException e) {
            // no /proc (not Linux): the device comparison still catches other file systems
        }
        return found;
    }

    /** mountinfo writes space, tab, newline and backslash in a path as octal escapes ({@code \040}). */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

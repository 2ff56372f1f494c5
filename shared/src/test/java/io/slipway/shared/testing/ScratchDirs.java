package io.slipway.shared.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's scratch directories (platform data directories, git repositories), deleted when the class is
 * done so a green run leaves nothing in {@code /tmp}. Register it on a static field,
 * {@code @RegisterExtension static final ScratchDirs scratch = new ScratchDirs();}, and create directories with
 * {@link #create}: JUnit calls an extension's {@code afterAll} after the class's own {@code @AfterAll} methods, so
 * the platform has been closed when its data directory goes.
 *
 * <p>The deletion runs as root over what tenants wrote (slugs, build output), so it never follows a symbolic link
 * (a link is removed, not what it points at) and never descends into a mount point still mounted (a dyno's slug
 * or volume mount a failed close left): that subtree stays. Whatever could not be deleted is logged, never a test
 * failure. {@code -Dslipway.test.keepDirs=true} keeps every directory for a post-mortem.
 */
public final class ScratchDirs implements AfterAllCallback {
    public static final String KEEP_PROPERTY = "slipway.test.keepDirs";

    private final List<Path> dirs = new CopyOnWriteArrayList<>();

    /**
     * Directories deleted when the test JVM exits, for a helper several classes share (a CLI's home). Shutdown
     * hooks run in no set order, so nothing another hook still uses belongs here.
     */
    public static ScratchDirs untilExit() {
        ScratchDirs dirs = new ScratchDirs();
        Runtime.getRuntime().addShutdownHook(new Thread(dirs::deleteAll, "scratch-dirs"));
        return dirs;
    }

    /**
     * A new directory under the system's temporary directory, deleted with the others after the class. Unchecked,
     * so a field initializer can make a test's own directory ({@code final Path tmp = scratch.create("x")}).
     */
    public Path create(String prefix, FileAttribute<?>... attrs) {
        try {
            Path dir = Files.createTempDirectory(prefix, attrs);
            dirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        deleteAll();
    }

    /** Deletes (or with {@value #KEEP_PROPERTY} keeps) every directory made so far. */
    public void deleteAll() {
        boolean keep = Boolean.getBoolean(KEEP_PROPERTY);
        for (Path dir : dirs) {
            if (keep) System.err.println("[scratch] kept " + dir + " (" + KEEP_PROPERTY + ")");
            else delete(dir);
        }
        dirs.clear();
    }

    /**
     * Deletes {@code root} and what is below it, links and mount points excepted as above.
     *
     * @return what was left behind (empty when {@code root} is gone); also logged
     */
    public static List<String> delete(Path root) {
        List<String> left = new ArrayList<>();
        try {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return left;
            // /proc/self/mountinfo names mount points by their canonical path; a bind mount of the same file
            // system has the same device number, so the device alone does not show every mount point
            Path start = root.toAbsolutePath().getParent().toRealPath().resolve(root.getFileName());
            Set<Path> mounts = mountPointsUnder(start);
            Object device = Files.getAttribute(start, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            // walkFileTree without FOLLOW_LINKS reports a link as a file, so only the link itself is deleted
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (mounts.contains(dir)
                            || !device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                        left.add(dir + " (still mounted)");
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    remove(file, left);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (!(e instanceof NoSuchFileException)) left.add(file + " (" + e + ")");
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    remove(dir, left);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException e) {
            left.add(root + " (" + e + ")");
        }
        if (!left.isEmpty()) {
            System.err.println("[scratch] could not delete all of " + root + ": "
                    + String.join(", ", left.subList(0, Math.min(left.size(), 10)))
                    + (left.size() > 10 ? " and " + (left.size() - 10) + " more" : ""));
        }
        return left;
    }

    private static void remove(Path p, List<String> left) {
        try {
            Files.deleteIfExists(p);
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // holds something left behind below (a mount point), already reported
        } catch (IOException e) {
            left.add(p + " (" + e + ")");
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

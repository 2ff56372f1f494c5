package io.slipway.shared.testing;

import io.slipway.shared.fs.TreeDelete;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.List;
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
 * <p>The deletion runs as root over what tenants wrote (slugs, build output), so it is the platform's own
 * {@link TreeDelete}: it never follows a symbolic link (a link is removed, not what it points at) and never
 * descends into a mount point still mounted (a dyno's slug or volume mount a failed close left): that subtree
 * stays. Whatever could not be deleted is logged, never a test
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
        List<String> left = TreeDelete.delete(root);
        if (!left.isEmpty()) {
            System.err.println("[scratch] could not delete all of " + root + ": " + TreeDelete.summary(left));
        }
        return left;
    }
}

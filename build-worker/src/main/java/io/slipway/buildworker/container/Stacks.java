package io.slipway.buildworker.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps a stack name ({@code heroku-24}) to the root file system builds on it see. A stack is a directory: an
 * operator can prepare one (e.g. with debootstrap) as {@code <stacks dir>/<name>}; a stack without its own
 * directory builds on the default root, which is the host's own {@code /} unless configured otherwise.
 */
public final class Stacks {
    private final Path stacksDir;
    private final Path defaultRoot;

    public Stacks(Path stacksDir, Path defaultRoot) {
        this.stacksDir = stacksDir;
        this.defaultRoot = defaultRoot;
    }

    /** The root for a stack; empty for a name that is not a plain directory name. */
    public Optional<Path> rootFor(String stack) {
        if (stack == null || !stack.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) return Optional.empty();
        if (stacksDir != null) {
            Path own = stacksDir.resolve(stack);
            if (Files.isDirectory(own)) return Optional.of(own);
        }
        return Optional.of(defaultRoot);
    }
}

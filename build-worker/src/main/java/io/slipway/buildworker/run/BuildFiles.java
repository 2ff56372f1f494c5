package io.slipway.buildworker.run;

import io.slipway.shared.fs.TenantFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads what a build wrote (its results, {@code Procfile}, release YAML) from the worker, which runs as root:
 * through {@link TenantFiles}, never following a link. A link, FIFO or oversized file where a build file should
 * be fails the build with a message that names the file only, so the build cannot make the worker print a host
 * file (the internal token, say) into its output.
 */
final class BuildFiles {
    /** Far more than any Procfile, detect output or release YAML needs. */
    static final long MAX_BYTES = 1 << 20;

    private BuildFiles() {}

    static Optional<String> read(Path dir, String name, String shownAs) throws IOException, BuildFailedException {
        try {
            return TenantFiles.readString(dir, name, shownAs, MAX_BYTES);
        } catch (TenantFiles.NotARegularFileException e) {
            throw new BuildFailedException(e.getMessage());
        }
    }
}

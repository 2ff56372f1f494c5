package io.slipway.shared.oci;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks a bind mount's source before runc starts: resolved, it must be exactly the expected path under the
 * platform's own directory, with no symlink anywhere below that directory. A tenant who could turn a dyno's
 * {@code /app} or a build's buildpack directory into a link (through an archive or a build step) would otherwise
 * get the host path it points at mounted into the container, read-write for {@code /app}.
 */
public final class BindSources {
    private BindSources() {}

    /** A bind source resolved somewhere it should not. */
    public static final class UnsafeBindSourceException extends IOException {
        public UnsafeBindSourceException(String message) { super(message); }
    }

    /**
     * @param base the platform's directory the source must live in (the operator's configuration: links above
     *        it are the operator's and are resolved); use {@code /} to allow no link at all
     * @return the source's real path, to give runc
     */
    public static Path verified(Path source, Path base) throws IOException {
        Path absolute = source.toAbsolutePath().normalize();
        Path absoluteBase = base.toAbsolutePath().normalize();
        if (!absolute.startsWith(absoluteBase)) {
            throw new UnsafeBindSourceException("bind source " + absolute + " is not under " + absoluteBase);
        }
        Path expected = absoluteBase.toRealPath().resolve(absoluteBase.relativize(absolute).toString()).normalize();
        Path real;
        try {
            real = absolute.toRealPath();
        } catch (IOException e) {
            throw new UnsafeBindSourceException("bind source " + absolute + " does not resolve (" + e.getMessage() + ")");
        }
        if (!real.equals(expected)) {
            throw new UnsafeBindSourceException("bind source " + absolute + " resolves to " + real
                    + ", not to " + expected + ": a symlink is in the way");
        }
        return real;
    }
}

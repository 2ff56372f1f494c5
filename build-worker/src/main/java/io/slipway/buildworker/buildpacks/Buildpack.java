package io.slipway.buildworker.buildpacks;

import java.nio.file.Path;

/**
 * A buildpack ready to run: a directory with {@code bin/detect}, {@code bin/compile} and optionally
 * {@code bin/release}, and an empty {@code export} file (the mount point for the per-build file the buildpack
 * may write to pass variables to the next one).
 *
 * @param reference how the app named it (URL, urn or path), for messages; secrets in URLs are already removed
 */
public record Buildpack(String reference, Path dir) {}

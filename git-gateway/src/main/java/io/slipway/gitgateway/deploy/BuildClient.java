package io.slipway.gitgateway.deploy;

import io.slipway.shared.gitaccess.Access;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Runs a build of pushed source and reports its output as it comes. {@link PlatformBuildClient} does it through
 * the public Sources and Builds API as the pushing user, exactly as a CI system would without git.
 */
public interface BuildClient {
    /**
     * @param sourceArchive tar.gz of the pushed commit's tree
     * @param commit        the pushed commit's id ({@code source_blob.version})
     */
    record Request(Access access, Path sourceArchive, String commit) {}

    /** {@code RELEASE_FAILED}: the build succeeded, but its release phase failed, so its release is not live. */
    enum Status { SUCCEEDED, FAILED, RELEASE_FAILED }

    /**
     * @param releaseVersion the release the build created, when it created one
     * @param message        why the build could not run or failed, when the build output does not say it
     */
    record Result(String buildId, Status status, Integer releaseVersion, String message) {
        public boolean succeeded() {
            return status == Status.SUCCEEDED;
        }
    }

    /** Starts the build and returns when it has finished; every output line goes to {@code output} as it arrives. */
    Result build(Request request, Consumer<String> output) throws IOException, InterruptedException;
}

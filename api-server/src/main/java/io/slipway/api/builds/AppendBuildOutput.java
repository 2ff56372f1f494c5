package io.slipway.api.builds;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /internal/builds/{id}/output}: the next chunk of a running build's output. Only while the build
 * is leased (409 otherwise), under the build's row lock, so chunks keep their order and none arrives after the
 * build finished.
 */
@Service
public class AppendBuildOutput {
    private final BuildRepository builds;
    private final BuildOutput output;

    public AppendBuildOutput(BuildRepository builds, BuildOutput output) {
        this.builds = builds;
        this.output = output;
    }

    @Transactional
    public void append(UUID buildId, String chunk) {
        if (chunk.length() > BuildOutput.MAX_CHUNK_CHARS) {
            throw new InvalidInput("Output chunks are limited to " + BuildOutput.MAX_CHUNK_CHARS + " characters; send smaller ones.");
        }
        Build build = builds.findForUpdate(buildId).orElseThrow(() -> new NotFound("build", buildId.toString()));
        if (!build.leased()) throw LeaseLost.of(build);
        // PostgreSQL text cannot hold NUL; a stray one in tool output must not lose the chunk
        output.append(buildId, chunk.replace("\0", ""));
    }
}

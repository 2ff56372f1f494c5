package io.slipway.api.builds.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.builds.Build;
import io.slipway.api.builds.BuildOutput;
import io.slipway.api.web.PolledTextStreams;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Follows builds' output for {@code output_stream_url} readers ({@link PolledTextStreams}): each look sends the
 * chunks stored since the last one, and once the build has finished and every chunk is out the response ends.
 * At most {@code max-output-streams} at once on this replica; none outlives the build timeout plus a lease and
 * five minutes.
 */
@Component
public class BuildOutputStreams implements DisposableBean {
    private static final int CHUNKS_PER_LOOK = 200;
    private final BuildOutput output;
    private final PolledTextStreams streams;
    private final long capMillis;

    public BuildOutputStreams(BuildOutput output, ApiServerConfig config) {
        this.output = output;
        ApiServerConfig.Builds b = config.builds();
        this.capMillis = Duration.ofSeconds((long) b.timeoutSeconds() + b.leaseSeconds()).plusMinutes(5).toMillis();
        this.streams = new PolledTextStreams("build-output", 2, b.outputPollInterval(), b.maxOutputStreams());
    }

    /** A response body following the build; null when this replica already serves as many streams as it may. */
    public ResponseBodyEmitter follow(UUID buildId, Runnable onEnd) {
        return streams.follow(capMillis, new Look(buildId), "build " + buildId, onEnd);
    }

    /** Streams served now by this replica. */
    public int open() {
        return streams.open();
    }

    @Override
    public void destroy() {
        streams.close();
    }

    private final class Look implements PolledTextStreams.Source {
        private final UUID buildId;
        private int seq;

        Look(UUID buildId) {
            this.buildId = buildId;
        }

        @Override
        public PolledTextStreams.Look look() {
            // status BEFORE chunks: a chunk is never stored after its build finished, so when the status read
            // here is final, the chunks read next are all there will ever be
            String status = output.status(buildId);
            List<BuildOutput.Chunk> chunks = output.after(buildId, seq, CHUNKS_PER_LOOK);
            StringBuilder text = new StringBuilder();
            for (BuildOutput.Chunk c : chunks) {
                text.append(c.text());
                seq = c.seq();
            }
            boolean more = chunks.size() == CHUNKS_PER_LOOK;
            return new PolledTextStreams.Look(text.toString(),
                    !more && (status == null || !Build.PENDING.equals(status)));
        }
    }
}

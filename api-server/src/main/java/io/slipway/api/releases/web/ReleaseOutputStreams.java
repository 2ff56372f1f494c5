package io.slipway.api.releases.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.phase.ReleaseOutput;
import io.slipway.api.releases.phase.ReleasePhaseConfig;
import io.slipway.api.web.PolledTextStreams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Follows release phases' output for {@code output_stream_url} readers ({@link PolledTextStreams}), as
 * {@code builds.web.BuildOutputStreams} does for builds. It sends the release dyno's {@code app} lines as text and
 * ends the response once the release phase has ended and the dyno's exit line was read (after it, nothing of the
 * process is in flight), or {@code output-grace} after it ended when there is no exit line (a dyno that never
 * started, a timeout).
 */
@Component
public class ReleaseOutputStreams implements DisposableBean {
    private static final int LINES_PER_LOOK = 500;
    private final ReleaseOutput output;
    private final PolledTextStreams streams;
    private final Duration grace;
    private final long capMillis;

    public ReleaseOutputStreams(ReleaseOutput output, ApiServerConfig config, ReleasePhaseConfig phase) {
        this.output = output;
        this.grace = phase.outputGrace();
        this.capMillis = phase.timeout().plus(phase.outputGrace()).plusMinutes(5).toMillis();
        this.streams = new PolledTextStreams("release-output", 1, config.builds().outputPollInterval(),
                config.builds().maxOutputStreams());
    }

    /** A response body following the release phase; null when this replica already serves as many as it may. */
    public ResponseBodyEmitter follow(UUID releaseId, Runnable onEnd) {
        return streams.follow(capMillis, new Look(releaseId), "release " + releaseId, onEnd);
    }

    @Override
    public void destroy() {
        streams.close();
    }

    private final class Look implements PolledTextStreams.Source {
        private final UUID releaseId;
        private long seq;
        private boolean exited;

        Look(UUID releaseId) {
            this.releaseId = releaseId;
        }

        @Override
        public PolledTextStreams.Look look() {
            // the state BEFORE the lines: when it says ended, the lines read next include the exit line (the agent
            // logs it before it reports the dyno down), unless there never was one
            ReleaseOutput.State state = output.state(releaseId);
            if (state == null) return new PolledTextStreams.Look("", true);
            List<ReleaseOutput.Line> lines = output.after(state.appId(), state.version(), seq, LINES_PER_LOOK);
            StringBuilder text = new StringBuilder();
            for (ReleaseOutput.Line l : lines) {
                seq = l.seq();
                if (l.output()) text.append(l.message()).append('\n');
                if (l.exited()) exited = true;
            }
            boolean more = lines.size() == LINES_PER_LOOK;
            boolean ended = !Release.PENDING.equals(state.status());
            return new PolledTextStreams.Look(text.toString(),
                    !more && ended && (exited || Instant.now().isAfter(state.updatedAt().plus(grace))));
        }
    }
}

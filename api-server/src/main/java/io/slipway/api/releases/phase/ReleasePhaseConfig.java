package io.slipway.api.releases.phase;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code slipway.release-phase.*}.
 *
 * @param timeout        a release phase still running after this long fails its release (Heroku: 1 hour), so a
 *                       hung command never keeps a deploy waiting
 * @param sweepInterval  how often pending releases are checked against the timeout
 * @param outputGrace    how long after its release phase ended a release's output stream waits for the last
 *                       lines in flight from the dyno-agent (normally the dyno's exit line ends it sooner)
 */
@ConfigurationProperties(prefix = "slipway.release-phase")
public record ReleasePhaseConfig(
        @DefaultValue("1h") Duration timeout,
        @DefaultValue("5s") Duration sweepInterval,
        @DefaultValue("10s") Duration outputGrace) {}

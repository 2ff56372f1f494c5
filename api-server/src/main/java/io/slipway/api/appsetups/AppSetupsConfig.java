package io.slipway.api.appsetups;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code slipway.app-setups.*}.
 *
 * @param postdeployTimeout      a postdeploy script still running after this long fails its setup and is stopped
 *                               (1 hour, like the release phase), so a hung script never leaves a setup pending
 * @param postdeployOutputGrace  how long after the postdeploy dyno's exit its last output lines may still be in
 *                               flight from the dyno-agent (normally its exit line arrives sooner)
 * @param postdeployOutputBytes  how much of the script's output (its tail) the setup keeps
 */
@ConfigurationProperties(prefix = "slipway.app-setups")
public record AppSetupsConfig(
        @DefaultValue("1h") Duration postdeployTimeout,
        @DefaultValue("10s") Duration postdeployOutputGrace,
        @DefaultValue("65536") int postdeployOutputBytes) {}

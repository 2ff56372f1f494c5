package io.slipway.api.outbound;

import io.slipway.api.ApiServerConfig;
import io.slipway.shared.net.GuardedHttpClient;
import io.slipway.shared.net.OutboundPolicy;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one policy for connections made on a user's behalf (drains), and the HTTP client that obeys it. */
@Configuration
public class OutboundConfiguration {

    @Bean
    public OutboundPolicy outboundPolicy(ApiServerConfig config) {
        try {
            return OutboundPolicy.allowing(config.outbound().allow());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("slipway.outbound.allow (SLIPWAY_OUTBOUND_ALLOW): " + e.getMessage(), e);
        }
    }

    @Bean(destroyMethod = "close")
    public GuardedHttpClient guardedHttpClient(OutboundPolicy policy) {
        return new GuardedHttpClient(policy, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }
}

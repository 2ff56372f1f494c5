package io.slipway.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The control plane: Heroku Platform API v3 over HTTP, and the only process that touches PostgreSQL.
 * Configured from the environment (see {@link ApiServerConfig}); run it alone for a multi-node
 * deployment, or through the launcher's {@code slipway up} for the embedded one-machine platform.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(ApiServerConfig.class)
public class ApiServerApplication {
    public static void main(String[] args) {
        SpringApplication.run(ApiServerApplication.class, args);
        // a replica's own process: its JIT compilers ahead of the request threads from now on (why: JitPriority)
        io.slipway.shared.jvm.JitPriority.raiseAfterStart();
    }
}

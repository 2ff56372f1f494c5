package io.slipway.api;

import io.slipway.api.fleet.DynoRows;
import io.slipway.api.rendezvous.AttachSecrets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where a lower feature's interface meets the higher feature that implements it, so neither package depends
 * back on the other (see ArchitectureTest: no cycles between feature packages).
 */
@Configuration(proxyBeanMethods = false)
class FeatureWiring {
    /** dynos opens rendezvous sessions; the rendezvous checks a secret against the dyno rows through this. */
    @Bean
    AttachSecrets attachSecrets(DynoRows dynos) {
        return dynos::attachSecretExists;
    }
}

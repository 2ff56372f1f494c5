package io.slipway.api.secrets;

import io.slipway.api.ApiServerConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The key ring from {@code slipway.secrets.*}: the api-server does not start without a key. */
@Configuration(proxyBeanMethods = false)
public class SecretsConfiguration {
    @Bean
    ConfigVarsCipher configVarsCipher(ApiServerConfig config) {
        return new ConfigVarsCipher(SecretsKeyRing.load(config.secrets().key(), config.secrets().keyFile()));
    }
}

package io.slipway.api.appsetups;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(AppSetupsConfig.class)
class AppSetupsConfiguration {}

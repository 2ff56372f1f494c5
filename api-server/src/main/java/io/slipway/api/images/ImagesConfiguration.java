package io.slipway.api.images;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(ImagesConfig.class)
class ImagesConfiguration {}

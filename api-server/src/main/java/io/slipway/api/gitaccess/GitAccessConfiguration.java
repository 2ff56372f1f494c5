package io.slipway.api.gitaccess;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the settings the git-gateway's endpoints need. */
@Configuration
@EnableConfigurationProperties(S3Properties.class)
class GitAccessConfiguration {}

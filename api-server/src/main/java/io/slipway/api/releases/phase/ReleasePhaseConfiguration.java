package io.slipway.api.releases.phase;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Registers {@link ReleasePhaseConfig} (kept apart from {@code ApiServerConfig}, which every feature edits). */
@Configuration
@EnableConfigurationProperties(ReleasePhaseConfig.class)
class ReleasePhaseConfiguration {}

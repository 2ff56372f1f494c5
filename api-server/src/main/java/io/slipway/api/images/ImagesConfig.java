package io.slipway.api.images;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of Dockerfile deploys ({@code slipway.images.*}).
 *
 * @param maxBytes the largest total layer size of an image (4 GiB by default); a build result or base image
 *                 over it is refused
 * @param maxBlobs the most blobs one image-blobs request or one image may name
 */
@ConfigurationProperties(prefix = "slipway.images")
public record ImagesConfig(@DefaultValue("4294967296") long maxBytes, @DefaultValue("512") int maxBlobs) {}

package io.slipway.shared.builds;

import java.util.List;
import java.util.Map;

/**
 * A build handed to a worker by {@code POST /internal/builds/claim}. URLs are presigned object-storage URLs
 * (valid for an hour); {@code buildpacks} is empty when the app has none set, and the worker then detects one.
 *
 * @param sourceChecksum {@code SHA256:<hex>} of the source tarball, or null when the api-server has none
 * @param sourceFromPlatform true when {@code sourceUrl} is a presigned URL of the platform's own object store;
 *        false when a user gave it ({@code source_blob.url}), so the worker fetches it through the
 *        {@link io.slipway.shared.net.OutboundPolicy}
 */
public record ClaimedBuild(
        String buildId,
        String appId,
        String appName,
        String stack,
        String sourceUrl,
        String sourceChecksum,
        List<String> buildpacks,
        Map<String, String> configVars,
        String cacheGetUrl,
        String cachePutUrl,
        String slugId,
        String slugPutUrl,
        int leaseSeconds,
        int timeoutSeconds,
        long maxSlugBytes,
        boolean sourceFromPlatform) {

    public ClaimedBuild {
        buildpacks = List.copyOf(buildpacks);
        configVars = Map.copyOf(configVars);
    }
}

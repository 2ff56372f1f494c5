package io.slipway.buildworker.fs;

import java.time.Duration;

/**
 * How long the build-worker keeps retrying the object store (source download, slug upload) before the build
 * fails: long enough for a store restart or a short network cut, short against the build's own timeout.
 */
public final class StoreRetries {
    public static final Duration BUDGET = Duration.ofMinutes(2);

    private StoreRetries() {}
}

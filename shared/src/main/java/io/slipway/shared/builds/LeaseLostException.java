package io.slipway.shared.builds;

import io.slipway.shared.internalapi.InternalApiException;

/**
 * {@code 409} from a build's heartbeat (or output): the lease expired and the build was given back to the queue
 * or failed. The worker must stop working on it and must not post a result.
 */
public class LeaseLostException extends InternalApiException {
    public LeaseLostException(String buildId) {
        super(409, "conflict", "lease on build " + buildId + " was lost");
    }
}

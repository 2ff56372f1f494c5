package io.slipway.buildworker.run;

/**
 * The build was taken away from this worker (its lease was lost) or the worker is stopping. No result is
 * posted: the api-server retries or fails the build itself.
 */
public class BuildCancelledException extends Exception {
    public BuildCancelledException(String reason) {
        super(reason == null ? "cancelled" : reason);
    }
}

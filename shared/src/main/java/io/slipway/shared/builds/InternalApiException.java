package io.slipway.shared.builds;

import java.io.IOException;

/** The api-server answered an internal call with an error status. */
public class InternalApiException extends IOException {
    private final int status;

    public InternalApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

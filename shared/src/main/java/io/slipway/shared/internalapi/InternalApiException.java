package io.slipway.shared.internalapi;

import java.io.IOException;

/**
 * The api-server answered an internal call with an error status: the one error type of every internal-API client.
 * It carries the status and, when the body was a Heroku-style error, its {@code id} (else null).
 */
public class InternalApiException extends IOException {
    private final int status;
    private final String id;

    public InternalApiException(int status, String id, String message) {
        super(message);
        this.status = status;
        this.id = id;
    }

    public InternalApiException(int status, String message) {
        this(status, null, message);
    }

    public int status() {
        return status;
    }

    /** The Heroku error id ({@code unauthorized}, {@code not_found}, {@code invalid_params}...), or null. */
    public String id() {
        return id;
    }

    public boolean notFound() {
        return status == 404;
    }

    /** Whether {@code e} is the api-server's 404 (and not a failed connection or another status). */
    public static boolean notFound(Throwable e) {
        return e instanceof InternalApiException api && api.notFound();
    }
}

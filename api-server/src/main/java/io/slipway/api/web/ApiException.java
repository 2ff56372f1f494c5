package io.slipway.api.web;

import org.springframework.http.HttpStatus;

/**
 * An error the API answers with, Heroku style: {@code {"id": "not_found", "message": "..."}} and the
 * matching status. Thrown by the web layer only: use cases throw {@link io.slipway.api.errors.DomainException}
 * instead, which {@link ApiErrors#of} turns into one. {@link ApiExceptionHandler} renders it.
 * Create them through {@link ApiErrors} so the ids stay Heroku's.
 */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String id;
    private final String resource;

    public ApiException(HttpStatus status, String id, String message, String resource) {
        super(message);
        this.status = status;
        this.id = id;
        this.resource = resource;
    }

    public HttpStatus status() { return status; }
    public String id() { return id; }
    /** the kind of thing that was not found or is in conflict, e.g. {@code app}; may be null */
    public String resource() { return resource; }
}

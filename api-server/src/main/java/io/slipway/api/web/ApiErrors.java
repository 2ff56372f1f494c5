package io.slipway.api.web;

import io.slipway.api.errors.DomainException;
import org.springframework.http.HttpStatus;

/** The Heroku error ids Slipway answers with, and their statuses. One place, so the contract stays in one layer. */
public final class ApiErrors {
    private ApiErrors() {}

    /**
     * The Heroku error a use case's refusal becomes. The switch has no default: a new kind does not compile
     * until it has its status and id here.
     */
    public static ApiException of(DomainException e) {
        String message = e.getMessage();
        return switch (e.kind()) {
            case UNAUTHENTICATED -> new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message, null);
            case NOT_FOUND -> new ApiException(HttpStatus.NOT_FOUND, "not_found", message, e.resource());
            case CONFLICT -> new ApiException(HttpStatus.CONFLICT, "conflict", message, e.resource());
            case INVALID_INPUT -> invalidParams(message);
            case FORBIDDEN -> forbidden(message);
            case CONFIRMATION_REQUIRED -> confirmationRequired(message);
            case LIMIT_REACHED -> tooMany(message);
            case UNAVAILABLE -> unavailable(message);
            case STORAGE_UNAVAILABLE -> storageUnavailable(message);
        };
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad_request", message, null);
    }

    public static ApiException unauthorized() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "Invalid credentials provided.", null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", message, null);
    }

    /** Also the answer for things that exist but the caller may not see: no existence leaks. */
    public static ApiException notFound(String resource, String identity) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found",
                "Couldn't find that " + resource + ".", resource);
    }

    public static ApiException notFoundPath() {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found",
                "The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`), and did you specify your intended version with the `Accept` header?",
                null);
    }

    public static ApiException conflict(String resource, String message) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", message, resource);
    }

    /** The CLI asks the user to type the app's name, then repeats the request with {@code confirm}. */
    public static ApiException confirmationRequired(String message) {
        return new ApiException(HttpStatus.LOCKED, "confirmation_required", message, null);
    }

    public static ApiException invalidParams(String message) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_params", message, null);
    }

    /**
     * Sources, slugs and builds need object storage; an api-server started without {@code slipway.s3.*}, or
     * whose store does not answer, says so instead of failing later.
     */
    public static ApiException storageUnavailable(String message) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "storage_unavailable", message, null);
    }

    /** A limit of this server was reached, or a part of the platform is not reachable; retry later. */
    public static ApiException unavailable(String message) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", message, null);
    }

    public static ApiException rateLimited() {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit",
                "Your account reached the API rate limit\nPlease wait a few minutes before making new requests",
                null);
    }

    /** Too many failed password logins for this account or from this address. */
    public static ApiException loginThrottled(long retryAfterSeconds) {
        long minutes = Math.max(1, (retryAfterSeconds + 59) / 60);
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit",
                "Too many failed login attempts for this account or from this address. Try again in "
                        + minutes + (minutes == 1 ? " minute" : " minutes") + ", or log in with an API key.",
                null);
    }

    public static ApiException methodNotAllowed() {
        return new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                "The requested API endpoint does not accept this HTTP method.", null);
    }

    public static ApiException unsupportedVersion(String accept) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad_request",
                "Unsupported API version in Accept header: " + accept + ". Use application/vnd.heroku+json; version=3.",
                null);
    }

    /** A per-user limit on things held at once (builds, one-off dynos, streams): retry when one has ended. */
    public static ApiException tooMany(String message) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit", message, null);
    }

    /** A request body past the public API's size limit. */
    public static ApiException tooLarge(String message) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "request_entity_too_large", message, null);
    }
}

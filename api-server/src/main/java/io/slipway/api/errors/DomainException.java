package io.slipway.api.errors;

/**
 * A request a use case refuses, in the domain's words. The subclass says what kind of refusal it is (not found,
 * conflict, invalid input...); the message is the sentence the user reads, written where the rule lives. Which
 * HTTP status and Heroku error id a kind becomes is the web layer's business ({@code io.slipway.api.web.ApiErrors#of}),
 * so no use case depends on the wire contract.
 */
public abstract class DomainException extends RuntimeException {
    /** Every kind of refusal; the web layer maps each to one status and Heroku id. */
    public enum Kind { UNAUTHENTICATED, NOT_FOUND, CONFLICT, INVALID_INPUT, FORBIDDEN, CONFIRMATION_REQUIRED, LIMIT_REACHED,
        UNAVAILABLE, STORAGE_UNAVAILABLE }

    private final Kind kind;
    private final String resource;

    protected DomainException(Kind kind, String message, String resource) {
        super(message);
        this.kind = kind;
        this.resource = resource;
    }

    public Kind kind() { return kind; }

    /** The kind of thing that was not found or is in conflict, e.g. {@code app}; may be null. */
    public String resource() { return resource; }
}

package io.slipway.api.errors;

/** The caller sent something the rules refuse (a bad name, an unknown plan, a malformed value). */
public final class InvalidInput extends DomainException {
    public InvalidInput(String message) {
        super(Kind.INVALID_INPUT, message, null);
    }
}

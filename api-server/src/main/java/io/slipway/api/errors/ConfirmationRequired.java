package io.slipway.api.errors;

/** A destructive request needs the app's name repeated; the client asks the user and retries. */
public final class ConfirmationRequired extends DomainException {
    public ConfirmationRequired(String message) {
        super(Kind.CONFIRMATION_REQUIRED, message, null);
    }
}

package io.slipway.gitgateway.api;

/** Why a git operation may not go ahead, with the message the user should see. */
public final class AccessDenied extends Exception {
    public enum Reason { UNAUTHORIZED, NOT_FOUND, UNAVAILABLE }

    private final Reason reason;

    public AccessDenied(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

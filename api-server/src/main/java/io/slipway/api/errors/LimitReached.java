package io.slipway.api.errors;

/** A per-user limit on things held at once (builds, one-off dynos, streams): retry when one has ended. */
public final class LimitReached extends DomainException {
    public LimitReached(String message) {
        super(Kind.LIMIT_REACHED, message, null);
    }
}

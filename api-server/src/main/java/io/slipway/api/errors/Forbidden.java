package io.slipway.api.errors;

/** The caller can see the thing but may not do this to it (e.g. a collaborator deleting the app). */
public final class Forbidden extends DomainException {
    public Forbidden(String message) {
        super(Kind.FORBIDDEN, message, null);
    }
}

package io.slipway.api.errors;

/** The request clashes with what exists: a name taken, a lease lost, a state that does not allow it. */
public final class Conflict extends DomainException {
    public Conflict(String resource, String message) {
        super(Kind.CONFLICT, message, resource);
    }
}

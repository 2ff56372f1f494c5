package io.slipway.api.errors;

/** The credentials name no account (or a wrong password): one message, so nothing tells which part was wrong. */
public final class Unauthenticated extends DomainException {
    public Unauthenticated() {
        super(Kind.UNAUTHENTICATED, "Invalid credentials provided.", null);
    }
}

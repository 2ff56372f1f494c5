package io.slipway.api.errors;

/** A limit of this server was reached, or a part of the platform is not reachable; retry later. */
public final class Unavailable extends DomainException {
    public Unavailable(String message) {
        super(Kind.UNAVAILABLE, message, null);
    }
}

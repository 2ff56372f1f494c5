package io.slipway.api.builds;

import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.DomainException;


/** The 409 a worker gets when it acts on a build it no longer holds. */
final class LeaseLost {
    private LeaseLost() {}

    static DomainException of(Build build) {
        String why = build.finished() ? "it has " + build.status()
                : build.leased() ? "another worker holds it" : "its lease expired and it went back to the queue";
        return new Conflict("build", "The lease on build " + build.id() + " was lost: " + why + ". Stop working on it.");
    }
}

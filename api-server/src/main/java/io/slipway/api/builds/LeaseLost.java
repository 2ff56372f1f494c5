package io.slipway.api.builds;

import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ApiException;

/** The 409 a worker gets when it acts on a build it no longer holds. */
final class LeaseLost {
    private LeaseLost() {}

    static ApiException of(Build build) {
        String why = build.finished() ? "it has " + build.status()
                : build.leased() ? "another worker holds it" : "its lease expired and it went back to the queue";
        return ApiErrors.conflict("build", "The lease on build " + build.id() + " was lost: " + why + ". Stop working on it.");
    }
}

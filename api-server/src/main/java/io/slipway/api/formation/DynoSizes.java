package io.slipway.api.formation;

import io.slipway.api.errors.InvalidInput;
import io.slipway.shared.dynos.DynoSize;

/**
 * The Platform API's rule over the platform's one list of dyno sizes ({@link DynoSize}, in {@code shared}):
 * a size a client asks for must be offered, and is answered with Heroku's {@code invalid_params} otherwise.
 */
public final class DynoSizes {
    private DynoSizes() {}

    /** By name (any case) or id, or Heroku's {@code invalid_params} naming the sizes offered. */
    public static DynoSize require(String nameOrId) {
        return DynoSize.find(nameOrId).orElseThrow(() -> new InvalidInput("Unknown dyno size " + nameOrId
                + ". Available sizes: " + DynoSize.names() + "."));
    }
}

package io.slipway.api.features;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A lab feature ({@code heroku labs}): a switch a user turns on for their account or for one app. Only
 * switches some component really honours belong in the {@link FeatureCatalogue}.
 *
 * @param state       Heroku's {@code public}, {@code beta}, {@code alpha} or {@code general}; the CLI hides
 *                    {@code general} ones from {@code heroku labs}
 * @param introducedAt shown as the feature's {@code created_at}
 */
public record Feature(Scope scope, String name, String displayName, String description, String docUrl,
                      String feedbackEmail, String state, Instant introducedAt) {

    public enum Scope { ACCOUNT, APP }

    /** Stable across replicas and restarts, derived from scope and name. */
    public UUID id() {
        return UUID.nameUUIDFromBytes(("feature:" + scope + ":" + name).getBytes(StandardCharsets.UTF_8));
    }
}

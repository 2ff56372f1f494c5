package io.slipway.api.addons.provider;

import java.util.Map;

/**
 * What a provider made: its own handle of the resource, and the values of the config vars by suffix
 * ({@code URL} → {@code postgres://u:p@host:5432/db}); each attachment prefixes them with its name.
 */
public record Provisioned(String providerId, Map<String, String> config) {
    public Provisioned {
        config = Map.copyOf(config);
    }
}

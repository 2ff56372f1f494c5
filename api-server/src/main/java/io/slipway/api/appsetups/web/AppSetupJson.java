package io.slipway.api.appsetups.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Heroku's app-setup object. {@code postdeploy} stays null: this platform does not run {@code scripts.postdeploy}
 * (it is named in {@code manifest_errors} instead).
 */
public record AppSetupJson(UUID id, Instant createdAt, Instant updatedAt, AppRef app, BuildRef build,
                           String failureMessage, List<String> manifestErrors, Object postdeploy,
                           String resolvedSuccessUrl, String status) {

    public record AppRef(UUID id, String name) {}

    public record BuildRef(UUID id, String status, String outputStreamUrl) {}
}

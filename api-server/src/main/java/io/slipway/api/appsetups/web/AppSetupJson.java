package io.slipway.api.appsetups.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Heroku's app-setup object. {@code postdeploy} is null until app.json's {@code scripts.postdeploy} has finished
 * (and stays null without one).
 */
public record AppSetupJson(UUID id, Instant createdAt, Instant updatedAt, AppRef app, BuildRef build,
                           String failureMessage, List<String> manifestErrors, Postdeploy postdeploy,
                           String resolvedSuccessUrl, String status) {

    /** {@code exitCode} null: the script never ended (timed out, or its dyno was lost). */
    public record Postdeploy(Integer exitCode, String output) {}

    public record AppRef(UUID id, String name) {}

    public record BuildRef(UUID id, String status, String outputStreamUrl) {}
}

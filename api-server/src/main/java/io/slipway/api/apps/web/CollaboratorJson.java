package io.slipway.api.apps.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppMembers;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Platform API's {@code collaborator} shape. {@code role} is {@code owner} or {@code collaborator}
 * ({@code heroku access} prints it). There are no team permissions here, and {@code permissions} is left
 * out rather than empty: the CLI adds a permissions column to {@code heroku access} when the key is present.
 */
public record CollaboratorJson(
        AppRef app,
        Instant createdAt,
        UUID id,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Object> permissions,
        String role,
        Instant updatedAt,
        User user) {

    public record AppRef(UUID id, String name) {}

    public record User(String email, boolean federated, UUID id) {}

    public static CollaboratorJson of(AppMembers.Member m, App app) {
        return new CollaboratorJson(new AppRef(app.id(), app.name()), m.createdAt(), m.id(), null, m.role(),
                m.updatedAt(), new User(m.account().email(), false, m.account().id()));
    }
}

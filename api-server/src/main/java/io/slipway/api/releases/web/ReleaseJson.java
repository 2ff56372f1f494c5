package io.slipway.api.releases.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.slipway.api.accounts.Account;
import io.slipway.api.apps.App;
import io.slipway.api.releases.Release;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Platform API's {@code release} shape. Add-ons and release-phase output streams do not exist yet:
 * {@code addon_plan_names} is empty and {@code output_stream_url} null (the CLI then prints nothing extra).
 */
public record ReleaseJson(
        List<String> addonPlanNames,
        Ref app,
        List<Artifact> artifacts,
        Instant createdAt,
        boolean current,
        String description,
        boolean eligibleForRollback,
        UUID id,
        String outputStreamUrl,
        SlugRef slug,
        String status,
        Instant updatedAt,
        User user,
        int version) {

    public record Ref(UUID id, String name) {}

    public record SlugRef(UUID id) {}

    public record Artifact(String type, UUID id) {}

    /** Empty ({@code {}}) when the account that made the release was deleted since. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(UUID id, String email) {}

    /** {@code current}: whether this is the app's newest succeeded release; {@code user} may be null. */
    public static ReleaseJson of(Release r, App app, boolean current, Account user) {
        UUID slugId = r.slugId();
        return new ReleaseJson(List.of(), new Ref(app.id(), app.name()),
                slugId == null ? List.of() : List.of(new Artifact("slug", slugId)),
                r.createdAt(), current, r.description(), r.eligibleForRollback(), r.id(), null,
                slugId == null ? null : new SlugRef(slugId), r.status(), r.updatedAt(),
                user == null ? new User(null, null) : new User(user.id(), user.email()), r.version());
    }
}

package io.slipway.api.releases.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.slipway.api.accounts.Account;
import io.slipway.api.apps.App;
import io.slipway.api.releases.Release;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Platform API's {@code release} shape. {@code addon_plan_names} is empty. An image release (a Dockerfile
 * deploy) has {@code slug} null and its image as the artifact of type {@code oci-image}, as the schema allows. {@code output_stream_url} is
 * set only for a release with a release phase: its command's output, live (the CLI's {@code releases:output}
 * and {@code rollback} follow it; null makes them print nothing extra).
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

    /**
     * {@code current}: whether this is the app's newest succeeded release; {@code user} may be null;
     * {@code outputStreamUrl} null when the release has no release phase.
     */
    public static ReleaseJson of(Release r, App app, boolean current, Account user, String outputStreamUrl) {
        UUID slugId = r.slugId();
        List<Artifact> artifacts = slugId != null ? List.of(new Artifact("slug", slugId))
                : r.imageId() != null ? List.of(new Artifact("oci-image", r.imageId())) : List.of();
        return new ReleaseJson(List.of(), new Ref(app.id(), app.name()), artifacts,
                r.createdAt(), current, r.description(), r.eligibleForRollback(), r.id(), outputStreamUrl,
                slugId == null ? null : new SlugRef(slugId), r.status(), r.updatedAt(),
                user == null ? new User(null, null) : new User(user.id(), user.email()), r.version());
    }
}

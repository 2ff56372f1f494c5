package io.slipway.api.builds.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.slipway.api.accounts.Account;
import io.slipway.api.builds.Build;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Platform API's {@code build} shape. {@code slug} and {@code release} appear once the build succeeded;
 * {@code output_stream_url} works without credentials (its token is one) and follows the build live.
 */
public record BuildJson(
        IdRef app,
        List<Buildpack> buildpacks,
        Instant createdAt,
        UUID id,
        String outputStreamUrl,
        IdRef release,
        IdRef slug,
        SourceBlob sourceBlob,
        String stack,
        String status,
        Instant updatedAt,
        User user) {

    public record IdRef(UUID id) {}

    public record Buildpack(String url, String name) {}

    public record SourceBlob(String checksum, String url, String version, String versionDescription) {}

    /** Empty ({@code {}}) when the account that started the build was deleted since. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(UUID id, String email) {}

    public static BuildJson of(Build b, Account user, String outputStreamUrl) {
        Build.Source s = b.source();
        boolean done = Build.SUCCEEDED.equals(b.status());
        return new BuildJson(new IdRef(b.appId()),
                b.buildpacks().stream().map(e -> new Buildpack(e.url(), e.name())).toList(),
                b.createdAt(), b.id(), outputStreamUrl,
                done && b.releaseId() != null ? new IdRef(b.releaseId()) : null,
                done && b.slugId() != null ? new IdRef(b.slugId()) : null,
                new SourceBlob(s.checksum(), s.url(), s.version(), s.versionDescription()),
                b.stack(), b.status(), b.updatedAt(),
                user == null ? new User(null, null) : new User(user.id(), user.email()));
    }
}

package io.slipway.api.web;

import java.util.List;

/**
 * Paths served without an Authorization header because their URL carries its own one-time credential
 * (the log stream, from #4) or they hold nothing secret. Kept in one list so it is easy to audit.
 * <ul>
 *   <li>{@code /build-output/<build id>/<output token>}: a build's {@code output_stream_url}; the random
 *       token is the credential, so {@code curl -N} and the git-gateway can follow it as Heroku's can be.</li>
 *   <li>{@code /release-output/<release id>/<output token>}: a release's {@code output_stream_url} (its
 *       release phase's output), for the same reason; the CLI's {@code releases:output} reads it with no
 *       credentials at all.</li>
 *   <li>{@code /log-stream/<token>}: a log session's {@code logplex_url}; {@code heroku logs} reads it with an
 *       EventSource that sends no Authorization. Only the token's SHA-256 is stored.</li>
 *   <li>{@code /pg-backup-archives/<transfer id>/<token>}: a backup archive for {@code pg:backups:download}
 *       when the object store is not on HTTPS (the CLI fetches only https URLs, without Authorization). Only
 *       the token's SHA-256 is stored; it expires with the presign TTL.</li>
 * </ul>
 */
public final class PublicPaths {
    private static final List<String> PREFIXES = List.of("/build-output/", "/release-output/", "/log-stream/",
            "/pg-backup-archives/");

    private PublicPaths() {}

    public static boolean isPublic(String path) {
        for (String p : PREFIXES) if (path.startsWith(p)) return true;
        return false;
    }
}

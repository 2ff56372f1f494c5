package io.slipway.api.web;

import java.util.List;

/**
 * Paths served without an Authorization header because their URL carries its own one-time credential
 * (the log stream, from #4) or they hold nothing secret. Kept in one list so it is easy to audit.
 */
public final class PublicPaths {
    private static final List<String> PREFIXES = List.of();

    private PublicPaths() {}

    public static boolean isPublic(String path) {
        for (String p : PREFIXES) if (path.startsWith(p)) return true;
        return false;
    }
}

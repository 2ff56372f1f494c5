package io.slipway.api.pgdata;

import java.util.UUID;

/**
 * The {@code to_url} of a stored backup in transfer listings: {@code slipway-backup:<transfer id>}. It names the
 * backup without granting anything (the archive itself is reached only through
 * {@code actions/public-url}, which checks access), and the CLI hands it back verbatim to the restore.
 */
public final class BackupUrls {
    static final String SCHEME = "slipway-backup:";

    private BackupUrls() {}

    public static String of(PgTransfer backup) {
        return SCHEME + backup.id();
    }

    /** The backup's id, or null when {@code url} is not one of ours. */
    public static UUID backupId(String url) {
        if (url == null || !url.startsWith(SCHEME)) return null;
        try {
            return UUID.fromString(url.substring(SCHEME.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

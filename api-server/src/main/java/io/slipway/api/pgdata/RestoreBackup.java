package io.slipway.api.pgdata;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.addons.Addon;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.outbound.UserUrls;
import io.slipway.api.identity.Caller;
import java.net.URI;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * {@code heroku pg:backups:restore [BACKUP|APP::BACKUP|URL] DATABASE}: the CLI resolves a backup name to the
 * backup's {@code to_url} ({@link BackupUrls}), which names a stored backup; this platform restores it only if
 * the caller can use the app the backup belongs to, so knowing (or guessing) another app's backup id gains
 * nothing. Any other URL is fetched on the user's behalf, through the outbound policy.
 */
@Component
public class RestoreBackup {
    private final PgDatabaseAccess access;
    private final PgTransferRepository transfers;
    private final AppRepository apps;
    private final AppAccess appAccess;
    private final UserUrls userUrls;
    private final NewTransfers newTransfers;
    private final TransferRunner runner;

    public RestoreBackup(PgDatabaseAccess access, PgTransferRepository transfers, AppRepository apps,
                         AppAccess appAccess, UserUrls userUrls, NewTransfers newTransfers, TransferRunner runner) {
        this.access = access;
        this.transfers = transfers;
        this.apps = apps;
        this.appAccess = appAccess;
        this.userUrls = userUrls;
        this.newTransfers = newTransfers;
        this.runner = runner;
    }

    public PgTransfer restore(Caller caller, String database, String backupUrl) {
        Addon target = access.database(caller, database);
        if (backupUrl == null || backupUrl.isBlank()) throw new InvalidInput("backup_url is required.");
        UUID stored = BackupUrls.backupId(backupUrl);
        if (stored != null) {
            PgTransfer source = transfers.findById(stored)
                    .filter(PgTransfer::isBackup)
                    .filter(t -> apps.findById(t.appId()).filter(app -> appAccess.canUse(caller, app)).isPresent())
                    .orElseThrow(() -> new NotFound("backup", backupUrl));
            if (!source.succeeded()) throw new InvalidInput("That backup did not complete successfully.");
            PgTransfer t = newTransfers.restore(target, source, source.fromName());
            runner.submit(t.id(), null);
            return t;
        }
        URI uri;
        try {
            uri = URI.create(backupUrl);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("backup_url is not a URL.");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new InvalidInput("backup_url must be an http(s) URL or a backup of this platform.");
        }
        userUrls.refuseInternal(uri, "backup URL");
        // the name shown in listings is the host only: the URL may carry a token
        PgTransfer t = newTransfers.restore(target, null, uri.getHost());
        runner.submit(t.id(), backupUrl);
        return t;
    }
}

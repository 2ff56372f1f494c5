package io.slipway.api.pgdata;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.identity.Caller;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * An app's transfers ({@code heroku pg:backups}, {@code pg:backups:info}, {@code download}, {@code url},
 * {@code delete}): visible to whoever can use the app ({@link AppAccess}), found by number or id.
 */
@Component
public class AppTransfers {
    private final AppAccess apps;
    private final PgTransferRepository transfers;
    private final ObjectStorage storage;
    private final BackupArchives archives;

    public AppTransfers(AppAccess apps, PgTransferRepository transfers, ObjectStorage storage, BackupArchives archives) {
        this.apps = apps;
        this.transfers = transfers;
        this.storage = storage;
        this.archives = archives;
    }

    public record Listed(App app, List<PgTransfer> transfers) {}

    public record Found(App app, PgTransfer transfer) {}

    public Listed list(Caller caller, String app) {
        App a = apps.visible(caller, app);
        return new Listed(a, transfers.findByAppIdOrderByNum(a.id()));
    }

    public Found find(Caller caller, String app, String identity) {
        App a = apps.visible(caller, app);
        PgTransfer t;
        try {
            t = transfers.findByAppIdAndNum(a.id(), Long.parseLong(identity)).orElse(null);
        } catch (NumberFormatException notNumber) {
            try {
                t = transfers.findById(java.util.UUID.fromString(identity)).filter(x -> x.appId().equals(a.id())).orElse(null);
            } catch (IllegalArgumentException notUuid) {
                t = null;
            }
        }
        if (t == null) throw new NotFound("transfer", identity);
        return new Found(a, t);
    }

    /**
     * A URL of a finished backup's archive ({@code pg:backups:download}, {@code pg:backups:url}): presigned by the
     * object store when that is on HTTPS; otherwise (the embedded store of {@code slipway up} is plain HTTP on
     * loopback, and the CLI downloads only https URLs) one of the API's own, {@link BackupArchives}.
     */
    public String publicUrl(Caller caller, String app, String identity) {
        PgTransfer t = find(caller, app, identity).transfer();
        if (!t.isBackup() || !t.succeeded()) throw new InvalidInput("Only a finished backup can be downloaded.");
        String presigned = storage.presignGet(t.objectKey());
        if (presigned.startsWith("https://")) return presigned;
        return archives.issue(t);
    }

    /** {@code pg:backups:delete}: the record and the archive. */
    public PgTransfer delete(Caller caller, String app, String identity) {
        PgTransfer t = find(caller, app, identity).transfer();
        if (PgTransfer.PENDING.equals(t.state()) || PgTransfer.RUNNING.equals(t.state())) {
            throw new InvalidInput("That transfer is still running.");
        }
        if (t.objectKey() != null) storage.delete(t.objectKey());
        transfers.delete(t);
        return t;
    }
}

package io.slipway.api.pgdata;

import io.slipway.api.addons.Addon;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.identity.Caller;
import org.springframework.stereotype.Component;

/** {@code heroku pg:backups:capture}: a backup of a database the caller can see, run in the background. */
@Component
public class CaptureBackup {
    private final PgDatabaseAccess access;
    private final NewTransfers newTransfers;
    private final TransferRunner runner;
    private final ObjectStorage storage;

    public CaptureBackup(PgDatabaseAccess access, NewTransfers newTransfers, TransferRunner runner, ObjectStorage storage) {
        this.access = access;
        this.newTransfers = newTransfers;
        this.runner = runner;
        this.storage = storage;
    }

    public PgTransfer capture(Caller caller, String database) {
        Addon addon = access.database(caller, database);
        return capture(addon, false);
    }

    /** Also the daily schedule's entry point (no caller: the schedule's owner set it up). */
    public PgTransfer capture(Addon addon, boolean scheduled) {
        storage.requireAvailable(); // backups live in the object store: none, no backup (503, not a failed transfer)
        PgTransfer t = newTransfers.backup(addon, scheduled);
        runner.submit(t.id(), null);
        return t;
    }
}

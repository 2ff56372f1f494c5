package io.slipway.api.pgdata;

import io.slipway.api.addons.Addon;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records a new transfer with the app's next number ({@code b001}, {@code b002}...), one at a time per app across
 * replicas (an advisory lock on the app for the transaction), so two captures never share a number.
 */
@Component
public class NewTransfers {
    private final PgTransferRepository transfers;
    private final JdbcTemplate jdbc;

    public NewTransfers(PgTransferRepository transfers, JdbcTemplate jdbc) {
        this.transfers = transfers;
        this.jdbc = jdbc;
    }

    @Transactional
    public PgTransfer backup(Addon addon, boolean scheduled) {
        long num = next(addon.appId());
        return transfers.save(PgTransfer.backup(addon.appId(), num, addon.id(), addon.name(), scheduled,
                id -> "pg-backups/" + addon.id() + "/" + id + ".dump"));
    }

    @Transactional
    public PgTransfer restore(Addon addon, PgTransfer source, String fromName) {
        long num = next(addon.appId());
        return transfers.save(PgTransfer.restore(addon.appId(), num, addon.id(), addon.name(), source, fromName));
    }

    private long next(UUID appId) {
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtextextended(?, 7))", Object.class, "pg-transfers:" + appId);
        return transfers.maxNum(appId) + 1;
    }
}

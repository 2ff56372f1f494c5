package io.slipway.api.secrets;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Rewrites every config-vars column ({@code apps}, every release's snapshot, the {@code heroku run} env of
 * one-off dynos, and SNI endpoints' private keys, sealed the same way) that is not under the primary key: legacy plain JSON and values under older keys. Runs at every api-server start (so rotating is: put the
 * new key first, keep the old ones after it, restart) and is safe on several replicas at once: each row is
 * updated only if it still holds what was read, so a concurrent write is never overwritten. A row under a key
 * this server does not hold is reported and left alone.
 */
@Service
public class ReencryptConfigVars {
    private static final Logger log = LoggerFactory.getLogger(ReencryptConfigVars.class);
    private static final int BATCH = 200;
    /** Table and column of every encrypted JSON map; each table's primary key is a uuid {@code id}. */
    private static final List<String[]> COLUMNS = List.of(
            new String[] {"apps", "config_vars"}, new String[] {"releases", "config_vars"},
            new String[] {"dynos", "run_env"}, new String[] {"sni_endpoints", "private_key"},
            new String[] {"acm_accounts", "key_pair"});
    private final JdbcTemplate jdbc;
    private final ConfigVarsCipher cipher;

    public ReencryptConfigVars(JdbcTemplate jdbc, ConfigVarsCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** What one pass did: rows rewritten, and rows left because their key is missing (or they are corrupt). */
    public record Result(int rewritten, int unreadable) {}

    public Result run() {
        int rewritten = 0;
        int unreadable = 0;
        String prefix = cipher.primaryPrefix();
        for (String[] tc : COLUMNS) {
            String table = tc[0];
            String column = tc[1];
            // keyset paging by id (a row left unreadable is not read again); no row has the nil uuid
            UUID after = new UUID(0, 0);
            while (true) {
                List<Object[]> rows = jdbc.query("SELECT id, " + column + " FROM " + table + " WHERE id > ? AND left("
                                + column + ", ?) IS DISTINCT FROM ? ORDER BY id LIMIT " + BATCH,
                        (rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2)},
                        after, prefix.length(), prefix);
                if (rows.isEmpty()) break;
                for (Object[] row : rows) {
                    UUID id = (UUID) row[0];
                    String old = (String) row[1];
                    after = id;
                    String fresh;
                    try {
                        fresh = cipher.encrypt(cipher.decrypt(old));
                    } catch (RuntimeException e) {
                        unreadable++;
                        log.error("{}.{} of {} cannot be re-encrypted: {}", table, column, id, e.getMessage());
                        continue;
                    }
                    rewritten += jdbc.update("UPDATE " + table + " SET " + column + " = ? WHERE id = ? AND " + column
                            + " = ?", fresh, id, old);
                }
            }
        }
        if (rewritten > 0 || unreadable > 0) {
            log.info("Config vars re-encrypted under the secrets key '{}': {} rows rewritten, {} unreadable",
                    cipher.ring().primaryId(), rewritten, unreadable);
        }
        return new Result(rewritten, unreadable);
    }
}

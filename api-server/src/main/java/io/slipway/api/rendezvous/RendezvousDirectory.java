package io.slipway.api.rendezvous;

import io.slipway.api.secrets.Digests;
import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which api-server replica holds the waiting half of a {@code heroku run} session ({@code rendezvous_halves},
 * keyed by the SHA-256 of the pairing secret, so the table alone lets nobody connect). The first half to arrive
 * claims the session for its replica; the other half, wherever it lands, learns that replica's relay address
 * from the same atomic upsert and is relayed there. A row older than the pair timeout belongs to a session
 * that can no longer pair (its replica died, or its half gave up) and is taken over.
 */
@Component
public class RendezvousDirectory {
    private static final String CLAIM = "INSERT INTO rendezvous_halves AS h (secret_hash, relay_address, created_at) "
            + "VALUES (?, ?, now()) ON CONFLICT (secret_hash) DO UPDATE SET "
            + "relay_address = CASE WHEN h.created_at < now() - make_interval(secs => ?) "
            + "THEN excluded.relay_address ELSE h.relay_address END, "
            + "created_at = CASE WHEN h.created_at < now() - make_interval(secs => ?) THEN now() ELSE h.created_at END "
            + "RETURNING relay_address";
    private final JdbcTemplate jdbc;

    public RendezvousDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The relay address of the replica where the session's halves meet: {@code mine} unless another claimed it. */
    String claim(String secret, String mine, Duration staleAfter) {
        double seconds = staleAfter.toMillis() / 1000d;
        return jdbc.queryForObject(CLAIM, String.class, Digests.sha256Hex(secret), mine, seconds, seconds);
    }

    /** The replica at {@code dead} did not answer: the session waits here from now on. */
    void takeOver(String secret, String dead, String mine) {
        jdbc.update("UPDATE rendezvous_halves SET relay_address = ?, created_at = now() "
                + "WHERE secret_hash = ? AND relay_address = ?", mine, Digests.sha256Hex(secret), dead);
    }

    /** The session held here ended. */
    void release(String secret, String mine) {
        jdbc.update("DELETE FROM rendezvous_halves WHERE secret_hash = ? AND relay_address = ?",
                Digests.sha256Hex(secret), mine);
    }
}

package io.slipway.api.acm;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * HTTP-01 key authorizations under way, each bound to the hostname being validated: the router gets one only
 * for the token and Host it is asked with, so a tenant cannot read another app's token through its own domain.
 * Written in their own (auto-commit) statements, so the router sees them while the order is still running.
 */
@Component
public class AcmeChallenges {
    private final JdbcTemplate jdbc;

    public AcmeChallenges(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void put(String token, String hostname, String keyAuthorization) {
        jdbc.update("INSERT INTO acm_challenges (token, hostname, key_authorization, created_at) VALUES (?, lower(?), ?, ?)"
                + " ON CONFLICT (token) DO UPDATE SET hostname = EXCLUDED.hostname,"
                + " key_authorization = EXCLUDED.key_authorization", token, hostname, keyAuthorization,
                Timestamp.from(Instant.now()));
    }

    void remove(String token) {
        jdbc.update("DELETE FROM acm_challenges WHERE token = ?", token);
    }

    void removeForApp(java.util.UUID appId) {
        jdbc.update("DELETE FROM acm_challenges WHERE hostname IN (SELECT lower(hostname) FROM domains WHERE app_id = ?)",
                appId);
    }

    /** The key authorization for this token when it was issued for this hostname; empty otherwise. */
    public Optional<String> answer(String token, String hostname) {
        return jdbc.queryForList("SELECT key_authorization FROM acm_challenges WHERE token = ? AND hostname = lower(?)",
                String.class, token, hostname).stream().findFirst();
    }
}

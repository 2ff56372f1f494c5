package io.slipway.api.accounts;

import io.slipway.api.ApiServerConfig;
import java.time.Duration;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Throttles password logins per account and per source address, in fixed windows counted in PostgreSQL
 * (table {@code login_failures}), so every api-server replica shares one count.
 *
 * <p>Each attempt is counted <em>before</em> its password is checked (one atomic upsert per scope), so parallel
 * guesses cannot slip past the limit between a check and its count; a success then takes its own attempt
 * back: it clears the account's count (whoever knows the password has nothing left to guess) and gives back
 * one to the address, so a successful login never erases the failures the same address made against other
 * accounts. The account key is the email as typed (lower-cased), whether or not such an account exists, so
 * the throttle answers the same for unknown emails.
 */
@Service
public class LoginThrottle {
    static final String ACCOUNT = "account";
    static final String ADDRESS = "address";
    private static final int MAX_KEY = 320;
    private final JdbcTemplate jdbc;
    private final ApiServerConfig.Logins config;

    public LoginThrottle(JdbcTemplate jdbc, ApiServerConfig config) {
        this.jdbc = jdbc;
        this.config = config.logins();
    }

    /** One counted attempt; {@code retryAfter} is set when the caller is over a limit and must be refused. */
    public record Attempt(String email, String address, Duration retryAfter) {
        public boolean throttled() {
            return retryAfter != null;
        }
    }

    public Attempt attempt(String email, String address) {
        String account = accountKey(email);
        String source = address == null ? "unknown" : address;
        long windowSeconds = Math.max(1, config.window().toSeconds());
        jdbc.update("DELETE FROM login_failures WHERE window_start <= now() - make_interval(secs => ?)", windowSeconds);
        long[] accountCount = count(ACCOUNT, account, windowSeconds);
        long[] addressCount = count(ADDRESS, source, windowSeconds);
        Duration retryAfter = null;
        if (accountCount[0] > config.maxFailuresPerAccount()) retryAfter = Duration.ofSeconds(accountCount[1]);
        if (addressCount[0] > config.maxFailuresPerAddress()) {
            Duration d = Duration.ofSeconds(addressCount[1]);
            if (retryAfter == null || d.compareTo(retryAfter) > 0) retryAfter = d;
        }
        return new Attempt(account, source, retryAfter);
    }

    /** The attempt was the right password: it no longer counts as a failure. */
    public void succeeded(Attempt attempt) {
        jdbc.update("DELETE FROM login_failures WHERE scope = ? AND key = ?", ACCOUNT, attempt.email());
        jdbc.update("UPDATE login_failures SET failures = greatest(failures - 1, 0) WHERE scope = ? AND key = ?",
                ADDRESS, attempt.address());
    }

    /** Counts one more in the key's window (a new window once the old one has passed): [count, seconds left]. */
    private long[] count(String scope, String key, long windowSeconds) {
        return jdbc.queryForObject("""
                INSERT INTO login_failures AS f (scope, key, window_start, failures) VALUES (?, ?, now(), 1)
                ON CONFLICT (scope, key) DO UPDATE SET
                  failures = CASE WHEN f.window_start <= now() - make_interval(secs => ?) THEN 1 ELSE f.failures + 1 END,
                  window_start = CASE WHEN f.window_start <= now() - make_interval(secs => ?) THEN now() ELSE f.window_start END
                RETURNING failures,
                  ceil(extract(epoch FROM (window_start + make_interval(secs => ?) - now())))::bigint AS seconds_left
                """, (rs, n) -> new long[] {rs.getLong("failures"), Math.max(1, rs.getLong("seconds_left"))},
                scope, key, windowSeconds, windowSeconds, windowSeconds);
    }

    private static String accountKey(String email) {
        String key = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        return key.length() > MAX_KEY ? key.substring(0, MAX_KEY) : key;
    }
}

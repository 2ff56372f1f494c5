package io.slipway.api.accounts;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;

/**
 * Who is behind an API token, asked first by every Platform API call: one plain SQL query in autocommit, no
 * Hibernate session and no transaction. Through JPA (query, hydration of two entities, a read-only transaction)
 * this lookup was about a tenth of a {@code GET /apps/{app}}'s CPU in the profile of issue 13. Same answer as
 * {@link Authenticate#byToken}, which callers needing the entities (git access) keep using.
 */
@Service
public class IdentifyByToken {
    /** The caller behind a valid token. */
    public record Identity(UUID accountId, String email, boolean admin, UUID authorizationId) {}

    private record Row(Identity identity, Instant expiresAt) {}

    private static final String SQL = "SELECT a.id, a.expires_at, acc.id AS account_id, acc.email, acc.admin "
            + "FROM oauth_authorizations a JOIN accounts acc ON acc.id = a.account_id WHERE a.token_hash = ?";
    private static final RowMapper<Row> ROW = (rs, i) -> {
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return new Row(new Identity(rs.getObject("account_id", UUID.class), rs.getString("email"),
                rs.getBoolean("admin"), rs.getObject("id", UUID.class)), expires == null ? null : expires.toInstant());
    };
    private final JdbcTemplate jdbc;

    public IdentifyByToken(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Empty for unknown or expired tokens. */
    public Optional<Identity> byToken(String token) {
        if (token == null || token.isBlank() || token.length() > 512) return Optional.empty();
        Instant now = Instant.now();
        for (Row row : jdbc.query(SQL, ROW, ApiTokens.hash(token.trim()))) {
            if (!OAuthAuthorization.expired(row.expiresAt(), now)) return Optional.of(row.identity());
        }
        return Optional.empty();
    }
}

package io.slipway.api.accounts;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API key. Heroku models every key as an OAuth authorization; so does Slipway. The token is kept only
 * as a SHA-256 hash (see {@link ApiTokens}); {@code tokenHint} is its last characters, for listings.
 */
@Entity
@Table(name = "oauth_authorizations")
public final class OAuthAuthorization {
    @Id
    private UUID id;
    private UUID accountId;
    private String tokenHash;
    private String tokenHint;
    private String description;
    private String scope;
    private Instant expiresAt;
    /** The account's own API key (see V3 migration): what {@code GET /oauth/authorizations/~} answers. */
    private boolean apiKey;
    private Instant createdAt;
    private Instant updatedAt;

    protected OAuthAuthorization() {}

    public OAuthAuthorization(UUID accountId, String tokenHash, String tokenHint, String description,
                              List<String> scope, Instant expiresAt) {
        this(accountId, tokenHash, tokenHint, description, scope, expiresAt, false);
    }

    public OAuthAuthorization(UUID accountId, String tokenHash, String tokenHint, String description,
                              List<String> scope, Instant expiresAt, boolean apiKey) {
        this.id = UUID.randomUUID();
        this.accountId = accountId;
        this.tokenHash = tokenHash;
        this.tokenHint = tokenHint;
        this.description = description == null ? "" : description;
        this.scope = String.join(",", scope);
        this.expiresAt = expiresAt;
        this.apiKey = apiKey;
        this.createdAt = Instant.now();
        this.updatedAt = this.createdAt;
    }

    public UUID id() { return id; }
    public UUID accountId() { return accountId; }
    public String tokenHash() { return tokenHash; }
    public String tokenHint() { return tokenHint; }
    public String description() { return description; }
    public List<String> scope() { return scope == null || scope.isEmpty() ? List.of() : List.of(scope.split(",")); }
    public Instant expiresAt() { return expiresAt; }
    public boolean apiKey() { return apiKey; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    public boolean expired(Instant now) {
        return expired(expiresAt, now);
    }

    /** The one expiry rule, also for lookups that read the column without the entity ({@link IdentifyByToken}). */
    static boolean expired(Instant expiresAt, Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}

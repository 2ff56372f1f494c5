package io.slipway.api.accounts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates an API key (an OAuth authorization) for an account and returns the token, the only time it is seen. */
@Service
public class IssueApiKey {
    private final OAuthAuthorizationRepository authorizations;

    public IssueApiKey(OAuthAuthorizationRepository authorizations) {
        this.authorizations = authorizations;
    }

    public record Issued(OAuthAuthorization authorization, String token) {}

    @Transactional
    public Issued issue(UUID accountId, String description, List<String> scope, Instant expiresAt) {
        return issue(accountId, description, scope, expiresAt, false);
    }

    /** The account's own API key (at most one per account): {@code heroku logout} does not revoke it. */
    @Transactional
    public Issued issueAccountApiKey(UUID accountId, String description) {
        return issue(accountId, description, List.of("global"), null, true);
    }

    private Issued issue(UUID accountId, String description, List<String> scope, Instant expiresAt, boolean apiKey) {
        String token = ApiTokens.newToken();
        OAuthAuthorization auth = authorizations.save(new OAuthAuthorization(
                accountId, ApiTokens.hash(token), ApiTokens.hint(token), description, scope, expiresAt, apiKey));
        return new Issued(auth, token);
    }
}

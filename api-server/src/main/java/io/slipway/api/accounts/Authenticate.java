package io.slipway.api.accounts;

import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Who is calling: by API token (Bearer, or Basic with the token as password) or by email and password. */
@Service
public class Authenticate {
    private final AccountRepository accounts;
    private final OAuthAuthorizationRepository authorizations;

    public Authenticate(AccountRepository accounts, OAuthAuthorizationRepository authorizations) {
        this.accounts = accounts;
        this.authorizations = authorizations;
    }

    /** The account and the authorization behind a token; empty for unknown or expired tokens. */
    public record ByToken(Account account, OAuthAuthorization authorization) {}

    @Transactional(readOnly = true)
    public Optional<ByToken> byToken(String token) {
        if (token == null || token.isBlank() || token.length() > 512) return Optional.empty();
        return authorizations.findByTokenHash(ApiTokens.hash(token.trim()))
                .filter(a -> !a.expired(Instant.now()))
                .flatMap(a -> accounts.findById(a.accountId()).map(acc -> new ByToken(acc, a)));
    }

    @Transactional(readOnly = true)
    public Optional<Account> byPassword(String email, String password) {
        return accounts.findByEmail(email).filter(a -> Passwords.matches(password, a.passwordHash()));
    }
}

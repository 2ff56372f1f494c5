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
        for (Object[] row : authorizations.findWithAccountByTokenHash(ApiTokens.hash(token.trim()))) {
            OAuthAuthorization a = (OAuthAuthorization) row[0];
            if (!a.expired(Instant.now())) return Optional.of(new ByToken((Account) row[1], a));
        }
        return Optional.empty();
    }

    /**
     * Known and unknown emails take the same path: one PBKDF2 derivation either way (against a dummy hash when
     * there is no account or no password), so neither the answer nor its timing says whether the email exists.
     * Callers throttle attempts first ({@link LoginThrottle}).
     */
    @Transactional(readOnly = true)
    public Optional<Account> byPassword(String email, String password) {
        Optional<Account> account = email == null || email.isBlank() ? Optional.empty() : accounts.findByEmail(email);
        boolean matches = Passwords.matches(password, account.map(Account::passwordHash).orElse(null));
        return matches ? account : Optional.empty();
    }
}

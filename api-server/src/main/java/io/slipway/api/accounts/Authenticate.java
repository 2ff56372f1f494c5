package io.slipway.api.accounts;

import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Who is calling by email and password (API tokens: {@link IdentifyByToken}). */
@Service
public class Authenticate {
    private final AccountRepository accounts;

    public Authenticate(AccountRepository accounts) {
        this.accounts = accounts;
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

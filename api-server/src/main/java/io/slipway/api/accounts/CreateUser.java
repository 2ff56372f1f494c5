package io.slipway.api.accounts;

import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.InvalidInput;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates an account with a first API key (operators do this with {@code slipway users:create}; there is
 * no self sign-up). The password is optional: without one the user logs in with the API key only.
 */
@Service
public class CreateUser {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private final AccountRepository accounts;
    private final IssueApiKey issueApiKey;

    public CreateUser(AccountRepository accounts, IssueApiKey issueApiKey) {
        this.accounts = accounts;
        this.issueApiKey = issueApiKey;
    }

    public record Created(Account account, String apiKey) {}

    @Transactional
    public Created create(String email, String password, boolean admin) {
        if (email == null || !EMAIL.matcher(email).matches() || email.length() > 254) {
            throw new InvalidInput("Invalid email address: " + email);
        }
        if (password != null && password.length() < 8) {
            throw new InvalidInput("Password must be at least 8 characters.");
        }
        if (accounts.findByEmail(email).isPresent()) {
            throw new Conflict("account", "An account with the email " + email + " already exists.");
        }
        Account account = accounts.save(new Account(email, null,
                password == null ? null : Passwords.hash(password), admin));
        String key = issueApiKey.issueAccountApiKey(account.id(), "Created by slipway users:create").token();
        return new Created(account, key);
    }
}

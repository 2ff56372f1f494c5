package io.slipway.launcher;

import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.accounts.CreateUser;
import io.slipway.api.accounts.IssueApiKey;
import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.DomainException;
import java.util.List;
import org.springframework.context.ApplicationContext;

/**
 * The first administrator, created on the first run with a random password. Its password and API key are
 * kept in {@code <data-dir>/secrets} (600) so env.sh can be written again on every start.
 */
public final class BootstrapAdmin {
    static final String EMAIL = "admin-email";
    static final String PASSWORD = "admin-password";
    static final String API_KEY = "admin-api-key";

    private BootstrapAdmin() {}

    /** The admin's API key; creates the admin when the data directory has none yet. */
    public static String ensure(ApplicationContext api, DataDir dir, String email) {
        var stored = dir.secret(API_KEY);
        if (stored.isPresent()) return stored.get();
        String adminEmail = dir.secret(EMAIL).orElse(email);
        // stored before the account exists, so an interrupted first run resumes with the same password
        String password = dir.secret(PASSWORD, () -> DataDir.randomToken(18));
        String key;
        try {
            key = api.getBean(CreateUser.class).create(adminEmail, password, true).apiKey();
        } catch (DomainException e) {
            if (!(e instanceof Conflict)) {
                throw new IllegalStateException("Cannot create the administrator " + adminEmail + ": " + e.getMessage(), e);
            }
            // the account was created by an earlier run that stopped before keeping its key: issue another
            Account account = api.getBean(AccountRepository.class).findByEmail(adminEmail).orElseThrow(() -> e);
            key = api.getBean(IssueApiKey.class)
                    .issue(account.id(), "Created by slipway up", List.of("global"), null).token();
        }
        dir.storeSecret(EMAIL, adminEmail);
        dir.storeSecret(API_KEY, key);
        return key;
    }
}

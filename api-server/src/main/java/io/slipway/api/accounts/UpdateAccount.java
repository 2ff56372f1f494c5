package io.slipway.api.accounts;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code PATCH /account}: what Heroku's update link allows, the full name and the {@code beta} and
 * {@code allow_tracking} settings. Email and password are not changed here (operators manage them).
 */
@Service
public class UpdateAccount {
    static final int MAX_NAME = 255;
    private final AccountRepository accounts;

    public UpdateAccount(AccountRepository accounts) {
        this.accounts = accounts;
    }

    /**
     * @param nameGiven whether {@code name} was in the request at all: {@code "name": null} clears it
     */
    public record Changes(boolean nameGiven, String name, Boolean beta, Boolean allowTracking) {}

    @Transactional
    public Account update(UUID accountId, Changes changes) {
        Account account = accounts.findById(accountId).orElseThrow(() -> new NotFound("account", null));
        if (changes.nameGiven()) account.rename(validName(changes.name()));
        if (changes.beta() != null && changes.beta() != account.beta()) account.setBeta(changes.beta());
        if (changes.allowTracking() != null && changes.allowTracking() != account.allowTracking()) {
            account.setAllowTracking(changes.allowTracking());
        }
        return accounts.save(account);
    }

    private static String validName(String name) {
        if (name == null) return null;
        String trimmed = name.strip();
        if (trimmed.isEmpty()) return null;
        if (trimmed.length() > MAX_NAME) {
            throw new InvalidInput("Name must be at most " + MAX_NAME + " characters long.");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput("Name must not contain control characters.");
        }
        return trimmed;
    }
}

package io.slipway.api.accounts;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /oauth/authorizations}: a new API token for the caller ({@code heroku login -i} authenticates
 * this one call with email and password; {@code heroku authorizations:create} with a token). The token is in
 * the answer and nowhere else. Every Slipway token is {@code global}: the API does not enforce narrower scopes,
 * so asking for one is refused rather than granted in name only.
 */
@Service
public class CreateAuthorization {
    /** Heroku's (and the CLI's) limit for {@code expires_in}: thirty days. */
    public static final long MAX_EXPIRES_IN = Duration.ofDays(30).toSeconds();
    static final int MAX_DESCRIPTION = 1000;
    private final AccountRepository accounts;
    private final IssueApiKey issueApiKey;

    public CreateAuthorization(AccountRepository accounts, IssueApiKey issueApiKey) {
        this.accounts = accounts;
        this.issueApiKey = issueApiKey;
    }

    /** @param expiresIn seconds, or null for a token that does not expire */
    public record Request(String description, Long expiresIn, List<String> scope) {}

    @Transactional
    public IssueApiKey.Issued create(UUID accountId, Request request) {
        String description = request.description() == null ? "" : request.description().strip();
        if (description.length() > MAX_DESCRIPTION) {
            throw new InvalidInput("Description must be at most " + MAX_DESCRIPTION + " characters long.");
        }
        Instant now = Instant.now();
        Instant expiresAt = null;
        if (request.expiresIn() != null) {
            long seconds = request.expiresIn();
            if (seconds < 1 || seconds > MAX_EXPIRES_IN) {
                throw new InvalidInput("`expires_in` must be between 1 and " + MAX_EXPIRES_IN
                        + " seconds (thirty days).");
            }
            expiresAt = now.plusSeconds(seconds);
        }
        List<String> scope = request.scope() == null ? List.of("global") : request.scope();
        if (scope.isEmpty() || scope.stream().anyMatch(s -> !s.equals("global"))) {
            throw new InvalidInput("Invalid `scope`: this platform issues only `global` tokens (scope [\"global\"]).");
        }
        Account account = accounts.findById(accountId).orElseThrow(() -> new NotFound("account", null));
        account.loggedIn(now);
        accounts.save(account);
        return issueApiKey.issue(accountId, description, List.of("global"), expiresAt);
    }
}

package io.slipway.api.gitaccess;

import io.slipway.api.errors.Unauthenticated;
import io.slipway.api.errors.NotFound;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.accounts.IdentifyByToken;
import io.slipway.api.accounts.IssueApiKey;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppNames;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.deploykeys.DeployKey;
import io.slipway.api.deploykeys.DeployKeyRepository;
import io.slipway.api.keys.SshKeyRepository;
import io.slipway.api.identity.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The git-gateway's one question: may the holder of this API key (HTTPS) or SSH key (SSH) push to or fetch
 * from this app? The gateway holds no database credentials, so identity and {@link AppAccess} (owner or
 * collaborator) are decided here. A push also gets a short-lived API token of its own: the gateway creates the
 * build through the public Builds API as the pushing user, and never needs the user's real key (SSH pushes
 * have none).
 *
 * <p>A deploy key (SSH) opens exactly one app: any other app answers like a missing one. Its pushes act as the
 * app's owner (the push token is the owner's, held by the gateway only: the key's holder never sees it), so a
 * build's user is the owner.
 */
@Service
public class AuthorizeGitAccess {
    /** How long a push token lives: enough for a long build; the gateway deletes it when the push ends. */
    public static final Duration PUSH_TOKEN_TTL = Duration.ofHours(1);

    public enum Action { PUSH, FETCH }

    /** Exactly one of the two is set. */
    public record Credentials(String apiKey, String sshFingerprint) {}

    /** @param pushToken only for {@link Action#PUSH}; otherwise null */
    public record Granted(Account account, App app, String webUrl, IssueApiKey.Issued pushToken) {}

    private final IdentifyByToken identifyByToken;
    private final SshKeyRepository sshKeys;
    private final AccountRepository accounts;
    private final AppAccess access;
    private final IssueApiKey issueApiKey;
    private final ApiServerConfig config;
    private final DeployKeyRepository deployKeys;
    private final AppRepository apps;

    public AuthorizeGitAccess(IdentifyByToken identifyByToken, SshKeyRepository sshKeys, AccountRepository accounts,
                              AppAccess access, IssueApiKey issueApiKey, ApiServerConfig config,
                              DeployKeyRepository deployKeys, AppRepository apps) {
        this.identifyByToken = identifyByToken;
        this.sshKeys = sshKeys;
        this.accounts = accounts;
        this.access = access;
        this.issueApiKey = issueApiKey;
        this.config = config;
        this.deployKeys = deployKeys;
        this.apps = apps;
    }

    @Transactional
    public Granted authorize(String appName, Action action, Credentials credentials) {
        Optional<Account> person = identify(credentials);
        Optional<DeployKey> deployKey = person.isPresent() ? Optional.empty() : deployKey(credentials);
        if (person.isEmpty() && deployKey.isEmpty()) throw new Unauthenticated();
        // The name comes from a git URL: anything that cannot be an app name is simply not an app.
        if (appName == null || !AppNames.VALID.matcher(appName).matches()) throw new NotFound("app", appName);
        App app;
        Account account;
        if (person.isPresent()) {
            account = person.get();
            app = access.visible(new Caller(account.id(), account.email(), account.admin(), null), appName);
        } else {
            app = apps.findByName(appName).filter(a -> a.id().equals(deployKey.get().appId()))
                    .orElseThrow(() -> new NotFound("app", appName));
            account = accounts.findById(app.ownerId()).orElseThrow(() -> new NotFound("app", appName));
        }
        IssueApiKey.Issued token = null;
        if (action == Action.PUSH) {
            token = issueApiKey.issue(account.id(), "git push " + app.name()
                    + deployKey.map(k -> " (deploy key " + k.name() + ")").orElse(""), List.of("global"),
                    Instant.now().plus(PUSH_TOKEN_TTL));
        }
        return new Granted(account, app, config.webUrl(app.name()), token);
    }

    private Optional<Account> identify(Credentials credentials) {
        if (credentials.apiKey() != null) {
            return identifyByToken.byToken(credentials.apiKey()).flatMap(i -> accounts.findById(i.accountId()));
        }
        String fingerprint = credentials.sshFingerprint();
        if (fingerprint == null || fingerprint.length() > 200) return Optional.empty();
        return sshKeys.findByFingerprint(fingerprint).flatMap(k -> accounts.findById(k.accountId()));
    }

    private Optional<DeployKey> deployKey(Credentials credentials) {
        String fingerprint = credentials.sshFingerprint();
        if (fingerprint == null || fingerprint.length() > 200) return Optional.empty();
        return deployKeys.findByFingerprint(fingerprint);
    }
}

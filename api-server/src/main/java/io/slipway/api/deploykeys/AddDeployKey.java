package io.slipway.api.deploykeys;

import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.DomainException;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.keys.PublicKeys;
import io.slipway.api.keys.SshKeyRepository;
import io.slipway.api.identity.Caller;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Adds a deploy key to an app (its owner or a collaborator, like domains). A key already registered anywhere,
 * as another app's deploy key or as an account's key, is refused: an SSH login must name exactly one holder and
 * one scope, and the message does not say whose key it is.
 */
@Service
public class AddDeployKey {
    /** Enough for a CI per branch and a few contractors; stops one app from filling the table. */
    static final int MAX_PER_APP = 50;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,59}");

    private final AppAccess access;
    private final DeployKeyRepository deployKeys;
    private final SshKeyRepository accountKeys;

    public AddDeployKey(AppAccess access, DeployKeyRepository deployKeys, SshKeyRepository accountKeys) {
        this.access = access;
        this.deployKeys = deployKeys;
        this.accountKeys = accountKeys;
    }

    public record Added(DeployKey key, App app) {}

    /** @param name optional; the key's comment (or "deploy-key-N") when absent */
    @Transactional
    public Added add(Caller caller, String appIdentity, String publicKey, String name) {
        App app = access.visible(caller, appIdentity);
        PublicKeys.Parsed parsed = PublicKeys.parse(publicKey);
        String keyName = name != null ? name : defaultName(parsed, app);
        if (!NAME.matcher(keyName).matches()) {
            throw new InvalidInput("A deploy key's name is 1 to 60 letters, digits, '.', '_', '@' or '-', "
                    + "starting with a letter or digit.");
        }
        if (deployKeys.existsByAppIdAndName(app.id(), keyName)) {
            throw new Conflict("deploy_key", app.name() + " already has a deploy key named " + keyName + ".");
        }
        if (deployKeys.countByAppId(app.id()) >= MAX_PER_APP) {
            throw new InvalidInput(app.name() + " already has " + MAX_PER_APP + " deploy keys, the most an app "
                    + "may have; remove one first.");
        }
        if (deployKeys.existsByFingerprint(parsed.fingerprint()) || accountKeys.existsByFingerprint(parsed.fingerprint())) {
            throw alreadyRegistered(parsed);
        }
        try {
            DeployKey key = deployKeys.saveAndFlush(new DeployKey(app.id(), keyName, parsed.line(),
                    parsed.fingerprint(), caller.accountId()));
            return new Added(key, app);
        } catch (DataIntegrityViolationException e) {
            throw alreadyRegistered(parsed); // the same key added concurrently: the unique fingerprint decides
        }
    }

    private String defaultName(PublicKeys.Parsed parsed, App app) {
        String comment = parsed.comment() == null ? "" : parsed.comment().trim();
        if (NAME.matcher(comment).matches() && !deployKeys.existsByAppIdAndName(app.id(), comment)) return comment;
        return "deploy-key-" + (deployKeys.countByAppId(app.id()) + 1);
    }

    private static DomainException alreadyRegistered(PublicKeys.Parsed parsed) {
        return new Conflict("deploy_key", "The key " + parsed.fingerprint() + " is already registered, as an "
                + "account's key or another app's deploy key. A deploy key must be a key of its own: generate one "
                + "with ssh-keygen -t ed25519 -f deploy_key.");
    }
}

package io.slipway.api.keys;

import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.DomainException;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku keys:add}: registers a public key for the caller. A key already registered, by this account or
 * any other, is a conflict (409): SSH authentication maps a key to one account, so one key cannot serve two.
 * The message does not say whose key it is.
 */
@Service
public class AddSshKey {
    private final SshKeyRepository keys;

    public AddSshKey(SshKeyRepository keys) {
        this.keys = keys;
    }

    @Transactional
    public SshKey add(UUID accountId, String publicKey) {
        PublicKeys.Parsed parsed = PublicKeys.parse(publicKey);
        if (keys.existsByFingerprint(parsed.fingerprint()) || keys.isDeployKey(parsed.fingerprint())) {
            throw alreadyRegistered(parsed);
        }
        try {
            return keys.saveAndFlush(new SshKey(accountId, parsed.line(), parsed.fingerprint(), parsed.comment()));
        } catch (DataIntegrityViolationException e) {
            // the same key added concurrently: the unique fingerprint decides
            throw alreadyRegistered(parsed);
        }
    }

    private static DomainException alreadyRegistered(PublicKeys.Parsed parsed) {
        return new Conflict("key", "The key " + parsed.fingerprint() + " is already registered to an account or as "
                + "an app's deploy key. A key can belong to one account only; generate another with ssh-keygen -t ed25519.");
    }
}

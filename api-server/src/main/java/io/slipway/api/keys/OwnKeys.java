package io.slipway.api.keys;

import io.slipway.api.errors.NotFound;
import io.slipway.api.identity.Identities;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finds one of the caller's keys by Heroku's key identity: its id or its fingerprint. Fingerprints are
 * accepted as Slipway shows them ({@code SHA256:...}) and in the older MD5 colon form
 * ({@code MD5:17:63:...} or without the prefix) that Heroku's documentation uses. Other accounts' keys are
 * not found.
 */
@Component
public class OwnKeys {
    private final SshKeyRepository keys;

    public OwnKeys(SshKeyRepository keys) {
        this.keys = keys;
    }

    @Transactional(readOnly = true)
    public SshKey find(UUID accountId, String identity) {
        UUID id = Identities.uuidOrNull(identity);
        SshKey found = null;
        if (id != null) {
            found = keys.findById(id).orElse(null);
        } else if (identity.startsWith("SHA256:")) {
            found = keys.findByFingerprint(identity).orElse(null);
        } else {
            String md5 = identity.startsWith("MD5:") ? identity : "MD5:" + identity;
            found = keys.findByAccountIdOrderByCreatedAt(accountId).stream()
                    .filter(k -> PublicKeys.parse(k.publicKey()).md5Fingerprint().equalsIgnoreCase(md5))
                    .findFirst().orElse(null);
        }
        if (found == null || !found.accountId().equals(accountId)) throw new NotFound("key", identity);
        return found;
    }
}

package io.slipway.api.keys;

import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@code heroku keys:remove}: the key no longer authenticates SSH pushes (the gateway asks on every login). */
@Service
public class RemoveSshKey {
    private final OwnKeys ownKeys;
    private final SshKeyRepository keys;

    public RemoveSshKey(OwnKeys ownKeys, SshKeyRepository keys) {
        this.ownKeys = ownKeys;
        this.keys = keys;
    }

    @Transactional
    public SshKey remove(UUID accountId, String identity) {
        SshKey key = ownKeys.find(accountId, identity);
        keys.delete(key);
        return key;
    }
}

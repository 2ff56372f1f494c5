package io.slipway.gitgateway.ssh;

import io.slipway.gitgateway.api.GitAccessClient;
import java.io.IOException;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Public keys only: a key is accepted when some account registered it ({@code heroku keys:add}); unknown keys
 * get "Permission denied (publickey)". Which app the key may touch is decided per command. MINA asks twice per
 * login (a probe, then the signed attempt), so answers are remembered for a few seconds.
 */
final class KeyAuthenticator implements PublickeyAuthenticator {
    static final AttributeRepository.AttributeKey<String> FINGERPRINT = new AttributeRepository.AttributeKey<>();
    private static final long REMEMBER_MILLIS = 10_000;
    private static final System.Logger log = System.getLogger(KeyAuthenticator.class.getName());
    private final GitAccessClient api;
    private final Map<String, Long> knownUntil = new ConcurrentHashMap<>();

    KeyAuthenticator(GitAccessClient api) {
        this.api = api;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        String fingerprint = KeyUtils.getFingerPrint(key);
        if (fingerprint == null || !known(fingerprint)) return false;
        session.setAttribute(FINGERPRINT, fingerprint);
        return true;
    }

    private boolean known(String fingerprint) {
        long now = System.currentTimeMillis();
        Long until = knownUntil.get(fingerprint);
        if (until != null && until > now) return true;
        try {
            if (!api.sshKeyKnown(fingerprint)) return false;
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "SSH key lookup failed: " + e.getMessage());
            return false;
        }
        if (knownUntil.size() > 10_000) knownUntil.clear();
        knownUntil.put(fingerprint, now + REMEMBER_MILLIS);
        return true;
    }
}

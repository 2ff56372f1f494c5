package io.slipway.api.keys.web;

import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.deploykeys.DeployKey;
import io.slipway.api.deploykeys.DeployKeyRepository;
import io.slipway.api.keys.SshKey;
import io.slipway.api.keys.SshKeyRepository;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalApi;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Internal API for the git-gateway: who holds the SSH key with this fingerprint ({@code SHA256:...}, as MINA's
 * {@code KeyUtils.getFingerPrint(key)} gives it; percent-encode it in the path, it contains {@code /} and
 * {@code +}). The gateway then asks whether that account may push to the app. A deploy key answers its app
 * instead ({@code account_id} and {@code email} null): the gateway only needs to know the key is known, and
 * {@code POST /internal/git/authorize} decides what it may reach.
 */
@RestController
@InternalApi(ComponentRole.GIT_GATEWAY)
public class InternalKeysController {
    private final SshKeyRepository keys;
    private final AccountRepository accounts;
    private final DeployKeyRepository deployKeys;

    public InternalKeysController(SshKeyRepository keys, AccountRepository accounts, DeployKeyRepository deployKeys) {
        this.keys = keys;
        this.accounts = accounts;
        this.deployKeys = deployKeys;
    }

    /** {@code deploy_key_app_id} is set, and the account fields null, for a deploy key. */
    public record KeyOwner(UUID accountId, String email, UUID deployKeyAppId) {}

    @GetMapping("/internal/keys/{fingerprint}")
    public KeyOwner owner(@PathVariable String fingerprint) {
        SshKey key = keys.findByFingerprint(fingerprint).orElse(null);
        if (key == null) {
            DeployKey deployKey = deployKeys.findByFingerprint(fingerprint)
                    .orElseThrow(() -> ApiErrors.notFound("key", fingerprint));
            return new KeyOwner(null, null, deployKey.appId());
        }
        Account account = accounts.findById(key.accountId()).orElseThrow(() -> ApiErrors.notFound("key", fingerprint));
        return new KeyOwner(account.id(), account.email(), null);
    }
}

package io.slipway.api.keys.web;

import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
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
 * {@code +}). The gateway then asks whether that account may push to the app.
 */
@RestController
@InternalApi(ComponentRole.GIT_GATEWAY)
public class InternalKeysController {
    private final SshKeyRepository keys;
    private final AccountRepository accounts;

    public InternalKeysController(SshKeyRepository keys, AccountRepository accounts) {
        this.keys = keys;
        this.accounts = accounts;
    }

    public record KeyOwner(UUID accountId, String email) {}

    @GetMapping("/internal/keys/{fingerprint}")
    public KeyOwner owner(@PathVariable String fingerprint) {
        SshKey key = keys.findByFingerprint(fingerprint).orElseThrow(() -> ApiErrors.notFound("key", fingerprint));
        Account account = accounts.findById(key.accountId()).orElseThrow(() -> ApiErrors.notFound("key", fingerprint));
        return new KeyOwner(account.id(), account.email());
    }
}

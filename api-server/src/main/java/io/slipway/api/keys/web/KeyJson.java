package io.slipway.api.keys.web;

import io.slipway.api.keys.SshKey;
import java.time.Instant;
import java.util.UUID;

/**
 * The Platform API's {@code key} shape. {@code email} (deprecated by Heroku in favour of {@code comment}) is
 * the account's email: {@code heroku keys} prints it as the list's heading. {@code fingerprint} is the SHA-256
 * form ({@code SHA256:...}) that current {@code ssh-keygen -l} prints and the git-gateway matches on; the
 * schema types it as a plain string (its example is the old MD5 form, still accepted to look a key up).
 */
public record KeyJson(
        String comment,
        Instant createdAt,
        String email,
        String fingerprint,
        UUID id,
        String publicKey,
        Instant updatedAt) {

    public static KeyJson of(SshKey key, String accountEmail) {
        return new KeyJson(key.comment(), key.createdAt(), accountEmail, key.fingerprint(), key.id(),
                key.publicKey(), key.updatedAt());
    }
}

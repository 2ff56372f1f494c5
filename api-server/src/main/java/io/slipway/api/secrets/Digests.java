package io.slipway.api.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one SHA-256 the api-server stores in place of a secret (API keys, log-session and download tokens) or hands
 * to a server that wants a hash (Redis ACL passwords): lower-case hex of the UTF-8 bytes.
 */
public final class Digests {
    private Digests() {}

    /**
     * One digest per thread, reset by each {@code digest}: {@code MessageDigest.getInstance} looks the provider up
     * every time, and every API call hashes its token (2 % of a {@code GET /apps/{app}}'s CPU in issue 13's profile).
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

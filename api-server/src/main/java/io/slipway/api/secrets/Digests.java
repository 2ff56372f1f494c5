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

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

package io.slipway.api.accounts;

import io.slipway.api.secrets.Digests;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API tokens: 32 random bytes, shown once as {@code HRKU-<base64url>}. Stored as SHA-256 only; a token has
 * 256 bits of entropy, so a fast hash is enough (unlike passwords, see {@link Passwords}).
 */
public final class ApiTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "HRKU-";
    private static final String REDACTION = "**********";

    private ApiTokens() {}

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        return Digests.sha256Hex(token);
    }

    public static String hint(String token) {
        return token.length() <= 4 ? token : token.substring(token.length() - 4);
    }

    /**
     * How a stored token is shown after its creation: {@code HRKU-**********abcd}. The CLI's {@code logout}
     * recognises its own token in this form (prefix, ten asterisks, suffix), so the shape is part of the contract.
     */
    public static String redacted(String hint) {
        return PREFIX + REDACTION + hint;
    }
}

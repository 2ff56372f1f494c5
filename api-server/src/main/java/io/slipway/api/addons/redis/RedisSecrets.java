package io.slipway.api.addons.redis;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random passwords: 32 bytes, hex (URL-safe, so REDIS_URL needs no escaping). */
final class RedisSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RedisSecrets() {}

    static String newPassword() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

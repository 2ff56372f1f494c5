package io.slipway.api.accounts;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with PBKDF2-HMAC-SHA256 from the JDK; stored as {@code pbkdf2$iterations$salt$hash}.
 * {@link #matches} always derives one hash, against a dummy when there is no usable stored hash (unknown
 * email, account without a password), so how long a login takes does not tell whether an email exists.
 */
public final class Passwords {
    private static final int ITERATIONS = 120_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong DERIVATIONS = new AtomicLong();
    /** Same cost as a real hash; no password matches it (its salt and hash are random bytes). */
    private static final String DUMMY = "pbkdf2$" + ITERATIONS + "$" + b64(randomBytes(16)) + "$" + b64(randomBytes(32));

    private Passwords() {}

    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(password, salt, ITERATIONS));
    }

    public static boolean matches(String password, String stored) {
        boolean usable = stored != null && wellFormed(stored);
        String[] parts = (usable ? stored : DUMMY).split("\\$");
        int iterations = Integer.parseInt(parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        boolean equal = MessageDigest.isEqual(expected, derive(password == null ? "" : password, salt, iterations));
        return usable && password != null && equal;
    }

    /** How many hashes this JVM has derived: lets a test see that an unknown email costs a hash too. */
    public static long derivations() {
        return DERIVATIONS.get();
    }

    private static boolean wellFormed(String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2")) return false;
        try {
            return Integer.parseInt(parts[1]) > 0 && Base64.getDecoder().decode(parts[2]).length > 0
                    && Base64.getDecoder().decode(parts[3]).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        DERIVATIONS.incrementAndGet();
        try {
            KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}

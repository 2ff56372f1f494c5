package io.slipway.api.secrets;

import io.slipway.api.persistence.JsonStringMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Config vars at rest: the JSON object encrypted with AES-256-GCM (the JDK's), a random 96-bit nonce per value,
 * stored as {@code enc:v1:<key id>:<base64(nonce || ciphertext+tag)>}. The key id is also authenticated (GCM
 * associated data), so a value cannot be relabelled. A column that does not start with {@code enc:} is a row
 * written before encryption existed (plain JSON) and is still read, until {@link ReencryptConfigVars} rewrites it.
 */
public final class ConfigVarsCipher {
    public static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonStringMap JSON = new JsonStringMap();
    /**
     * One AES-GCM cipher per thread, initialised afresh for each use: {@code Cipher.getInstance} walks the security
     * providers each time, a few percent of a config change's CPU. GCM refuses a reused nonce on encryption, and
     * every encryption draws a new one.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        }
    });
    private final SecretsKeyRing ring;

    public ConfigVarsCipher(SecretsKeyRing ring) {
        this.ring = ring;
    }

    public SecretsKeyRing ring() { return ring; }

    public String encrypt(Map<String, String> vars) {
        byte[] plain = JSON.convertToDatabaseColumn(vars).getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        String id = ring.primaryId();
        byte[] sealed = run(Cipher.ENCRYPT_MODE, ring.primary(), nonce, id, plain);
        ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
        return PREFIX + id + ":" + Base64.getEncoder().encodeToString(out.array());
    }

    public Map<String, String> decrypt(String column) {
        if (column == null || !column.startsWith(PREFIX)) return JSON.convertToEntityAttribute(column);
        int colon = column.indexOf(':', PREFIX.length());
        if (colon < 0) throw new IllegalStateException("Malformed encrypted config vars");
        String id = column.substring(PREFIX.length(), colon);
        SecretKey key = ring.key(id);
        if (key == null) {
            throw new IllegalStateException("Config vars are encrypted with the secrets key '" + id
                    + "', which this api-server does not have (SLIPWAY_SECRETS_KEY holds " + ring.ids() + ")");
        }
        byte[] all = Base64.getDecoder().decode(column.substring(colon + 1));
        if (all.length < NONCE_BYTES + TAG_BITS / 8) throw new IllegalStateException("Malformed encrypted config vars");
        byte[] nonce = java.util.Arrays.copyOf(all, NONCE_BYTES);
        byte[] sealed = java.util.Arrays.copyOfRange(all, NONCE_BYTES, all.length);
        return JSON.convertToEntityAttribute(new String(run(Cipher.DECRYPT_MODE, key, nonce, id, sealed), StandardCharsets.UTF_8));
    }

    /** Whether the column is already encrypted under the primary key (nothing to re-encrypt). */
    public boolean underPrimary(String column) {
        return column != null && column.startsWith(primaryPrefix());
    }

    public String primaryPrefix() {
        return PREFIX + ring.primaryId() + ":";
    }

    private static byte[] run(int mode, SecretKey key, byte[] nonce, String keyId, byte[] input) {
        try {
            Cipher c = CIPHERS.get();
            c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(("slipway config vars " + keyId).getBytes(StandardCharsets.UTF_8));
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not " + (mode == Cipher.ENCRYPT_MODE ? "encrypt" : "decrypt")
                    + " config vars with the secrets key '" + keyId + "'", e);
        }
    }
}

package io.slipway.api.keys;

import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * Reads one OpenSSH public key line ({@code type base64 [comment]}, what {@code ssh-keygen} writes to the
 * {@code .pub} file) with Apache MINA SSHD, the library the git-gateway authenticates with, so a key accepted
 * here is a key the gateway can match. Fingerprints are SHA-256 as {@code ssh-keygen -lf} prints them
 * ({@code SHA256:...}); the gateway looks keys up by exactly that string.
 */
public final class PublicKeys {
    /** ed25519 and ECDSA as they are; RSA from 2048 bits (what OpenSSH itself requires today). */
    public static final List<String> SUPPORTED_TYPES = List.of("ssh-ed25519", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa");
    public static final int MIN_RSA_BITS = 2048;
    static final int MAX_LENGTH = 16 * 1024;

    private PublicKeys() {}

    /**
     * @param line        normalised: type, base64 and comment separated by single spaces
     * @param fingerprint {@code SHA256:...}
     */
    public record Parsed(String type, String line, String fingerprint, String comment, PublicKey key) {
        /** The legacy colon form ({@code MD5:17:63:...}) Heroku's schema shows as its example. */
        public String md5Fingerprint() {
            return KeyUtils.getFingerPrint(BuiltinDigests.md5, key);
        }
    }

    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) throw new InvalidInput("Missing required param `public_key`.");
        if (text.length() > MAX_LENGTH) throw invalid("Invalid public key: it is longer than any supported key.");
        if (text.contains("PRIVATE KEY")) {
            throw invalid("That is a private key. Upload the public key instead (the .pub file next to it); "
                    + "a private key must never leave your machine.");
        }
        List<String> lines = text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.size() > 1) {
            if (lines.get(0).startsWith("---- BEGIN")) {
                throw invalid("Invalid public key: send it in OpenSSH format (one line: type, key, comment), "
                        + "as in the .pub file ssh-keygen writes.");
            }
            throw invalid("Invalid public key: upload one key at a time (found " + lines.size() + " lines).");
        }
        String[] parts = lines.get(0).split("\\s+", 3);
        if (parts.length < 2) throw notAKey();
        String type = parts[0];
        String comment = parts.length == 3 ? parts[2].strip() : "";
        if (!SUPPORTED_TYPES.contains(type)) {
            throw invalid("Unsupported key type `" + type + "`. Supported: " + String.join(", ", SUPPORTED_TYPES)
                    + " (RSA from " + MIN_RSA_BITS + " bits).");
        }
        PublicKey key;
        byte[] data;
        try {
            PublicKeyEntry entry = PublicKeyEntry.parsePublicKeyEntry(type + " " + parts[1]);
            data = entry.getKeyData();
            key = entry.resolvePublicKey(null, Collections.emptyMap(), PublicKeyEntryResolver.FAILING);
        } catch (Exception e) {
            // Malformed base64, a truncated blob, a curve point off the curve...: all the user's input.
            throw notAKey();
        }
        if (key == null || !type.equals(KeyUtils.getKeyType(key))) throw notAKey();
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw invalid("RSA keys must have at least " + MIN_RSA_BITS + " bits; this one has "
                    + rsa.getModulus().bitLength() + ". Generate a new key, e.g. ssh-keygen -t ed25519.");
        }
        String line = type + " " + Base64.getEncoder().encodeToString(data) + (comment.isEmpty() ? "" : " " + comment);
        return new Parsed(type, line, KeyUtils.getFingerPrint(key), comment, key);
    }

    private static DomainException notAKey() {
        return invalid("Invalid public key: expected one OpenSSH public key line (type, base64 key, comment), "
                + "as in the .pub file ssh-keygen writes.");
    }

    private static DomainException invalid(String message) {
        return new InvalidInput(message);
    }
}

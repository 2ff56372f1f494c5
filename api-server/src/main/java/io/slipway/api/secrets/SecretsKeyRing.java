package io.slipway.api.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys config vars are encrypted with, by id. The operator holds them apart from the database
 * ({@code SLIPWAY_SECRETS_KEY} and/or the file {@code SLIPWAY_SECRETS_KEY_FILE}); each entry is
 * {@code id:base64-of-32-bytes}, separated by commas, spaces or new lines ({@code #} starts a comment line in
 * the file). The first entry is the primary: new values are written with it. The others are only read, so
 * values written under an older key stay readable until they are re-encrypted.
 */
public final class SecretsKeyRing {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9.-]{1,40}");
    private final String primaryId;
    private final Map<String, SecretKey> keys;

    private SecretsKeyRing(String primaryId, Map<String, SecretKey> keys) {
        this.primaryId = primaryId;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** The keys of {@code inline} then of {@code file}; fails with the operator's instructions when none. */
    public static SecretsKeyRing load(String inline, String file) {
        StringBuilder text = new StringBuilder(inline == null ? "" : inline);
        if (file != null && !file.isBlank()) {
            try {
                for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                    if (!line.strip().startsWith("#")) text.append('\n').append(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the secrets key file " + file
                        + " (SLIPWAY_SECRETS_KEY_FILE)", e);
            }
        }
        SecretsKeyRing ring = parse(text.toString());
        if (ring == null) {
            throw new IllegalStateException("No secrets key: config vars are encrypted at rest with a key held apart"
                    + " from the database. Set SLIPWAY_SECRETS_KEY (or SLIPWAY_SECRETS_KEY_FILE, a mode-600 file) to"
                    + " 'id:<base64 of 32 random bytes>', e.g. k1:$(head -c 32 /dev/urandom | base64). See docs/operators.md.");
        }
        return ring;
    }

    /** Null when {@code text} holds no key; throws on a malformed entry (never silently ignored). */
    public static SecretsKeyRing parse(String text) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String primary = null;
        for (String entry : text.strip().split("[,\\s]+")) {
            if (entry.isEmpty()) continue;
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "" : entry.substring(0, colon);
            if (!ID.matcher(id).matches()) {
                throw new IllegalStateException("A secrets key must be 'id:base64' with an id of letters, digits,"
                        + " dots or dashes (at most 40); got an entry starting '" + id.substring(0, Math.min(id.length(), 10)) + "'");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(entry.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("The secrets key '" + id + "' is not valid base64");
            }
            if (bytes.length != 32) {
                throw new IllegalStateException("The secrets key '" + id + "' must be 32 bytes (AES-256); it is " + bytes.length);
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(bytes, "AES")) != null) {
                throw new IllegalStateException("The secrets key id '" + id + "' is given twice");
            }
            if (primary == null) primary = id;
        }
        return primary == null ? null : new SecretsKeyRing(primary, keys);
    }

    public String primaryId() { return primaryId; }

    public SecretKey primary() { return keys.get(primaryId); }

    /** Null for an id this ring does not hold. */
    public SecretKey key(String id) { return keys.get(id); }

    public java.util.Set<String> ids() { return keys.keySet(); }
}

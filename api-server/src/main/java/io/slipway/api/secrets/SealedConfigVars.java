package io.slipway.api.secrets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An app's config vars as an immutable value that decrypts only when read. Most requests that load an app never
 * look at its config (GET /apps/{app}, GET /apps of a user with a thousand apps), and an AES-GCM decryption plus a
 * JSON parse per row was most of what Hibernate did for them. A value loaded from the database and never replaced
 * is written back as the same ciphertext (when it is under the primary key), so saving an app for another change
 * does not re-encrypt its config either.
 */
public final class SealedConfigVars {
    /** The ciphertext this value was read as or last written as (null until then). */
    private String column;
    private final ConfigVarsCipher cipher;
    private Map<String, String> vars;

    private SealedConfigVars(String column, ConfigVarsCipher cipher, Map<String, String> vars) {
        this.column = column;
        this.cipher = cipher;
        this.vars = vars;
    }

    /** New config, encrypted when it is written. */
    public static SealedConfigVars of(Map<String, String> vars) {
        return new SealedConfigVars(null, null, Collections.unmodifiableMap(new LinkedHashMap<>(vars)));
    }

    static SealedConfigVars sealed(String column, ConfigVarsCipher cipher) {
        return new SealedConfigVars(column, cipher, null);
    }

    /** The vars, decrypted on first use (entities are not shared between threads). */
    public Map<String, String> map() {
        if (vars == null) vars = Collections.unmodifiableMap(cipher.decrypt(column));
        return vars;
    }

    /**
     * Encrypts once: an app saved twice in one transaction (its config, then its release time) writes the same
     * ciphertext the second time instead of encrypting the vars again.
     */
    String toColumn(ConfigVarsCipher with) {
        if (column != null && with.underPrimary(column)) return column;
        column = with.encrypt(map());
        return column;
    }
}

package io.slipway.api.acm;

import io.slipway.api.secrets.ConfigVarsCipher;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.time.Instant;
import java.sql.Timestamp;
import java.util.Map;
import org.shredzone.acme4j.util.KeyPairUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The platform's ACME account key, one per directory URL, sealed at rest with the config vars' cipher (as SNI
 * keys are). The first replica to need it creates it; a concurrent one loses the insert and reads the winner's,
 * so every replica signs as the same account. Key rotation re-seals it ({@code ReencryptConfigVars}). It never leaves the api-server: only acme4j uses it.
 */
@Component
public class AcmeAccountKeys {
    private static final String FIELD = "key_pair";
    private final JdbcTemplate jdbc;
    private final ConfigVarsCipher cipher;

    public AcmeAccountKeys(JdbcTemplate jdbc, ConfigVarsCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /**
     * acme4j's key and CSR helpers name the "BC" provider; nothing else guarantees it is registered. Done on the
     * first ACME order, not at start: loading BouncyCastle's provider was 6% of the api-server's start-up.
     */
    static synchronized void registerBouncyCastle() {
        if (java.security.Security.getProvider("BC") == null) {
            java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
        }
    }

    public KeyPair forDirectory(String directoryUrl) {
        registerBouncyCastle();
        var sealed = jdbc.queryForList("SELECT key_pair FROM acm_accounts WHERE directory_url = ?", String.class, directoryUrl);
        if (sealed.isEmpty()) {
            jdbc.update("INSERT INTO acm_accounts (id, directory_url, key_pair, created_at) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (directory_url) DO NOTHING", java.util.UUID.randomUUID(), directoryUrl,
                    cipher.encrypt(Map.of(FIELD, pem(KeyPairUtils.createECKeyPair("secp384r1")))),
                    Timestamp.from(Instant.now()));
            sealed = jdbc.queryForList("SELECT key_pair FROM acm_accounts WHERE directory_url = ?", String.class, directoryUrl);
        }
        try {
            return KeyPairUtils.readKeyPair(new StringReader(cipher.decrypt(sealed.get(0)).get(FIELD)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(KeyPair pair) {
        try {
            StringWriter out = new StringWriter();
            KeyPairUtils.writeKeyPair(pair, out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

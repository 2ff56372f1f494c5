package io.slipway.api.sniendpoints;

import io.slipway.api.secrets.ConfigVarsCipher;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The column type of {@code sni_endpoints.private_key}: the PEM is sealed exactly like config vars (the same
 * {@link ConfigVarsCipher}, key ring and format, as the one-entry map {@code {"private_key": pem}}), so key
 * rotation and the re-encryption at startup ({@code ReencryptConfigVars}) cover it with no second scheme.
 */
@Component
@Converter
public class EncryptedPrivateKey implements AttributeConverter<String, String> {
    static final String FIELD = "private_key";
    private final ConfigVarsCipher cipher;

    public EncryptedPrivateKey(ConfigVarsCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public String convertToDatabaseColumn(String pem) {
        return pem == null ? null : cipher.encrypt(Map.of(FIELD, pem));
    }

    @Override
    public String convertToEntityAttribute(String column) {
        return column == null ? null : cipher.decrypt(column).get(FIELD);
    }
}

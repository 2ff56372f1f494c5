package io.slipway.api.secrets;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The JPA column type of {@code apps.config_vars} and {@code releases.config_vars}: encrypted on write, decrypted
 * on read ({@link ConfigVarsCipher}). A Spring bean: Hibernate gets converters from Spring's bean container,
 * so the key ring is injected, never global.
 */
@Component
@Converter
public class EncryptedConfigVars implements AttributeConverter<Map<String, String>, String> {
    private final ConfigVarsCipher cipher;

    public EncryptedConfigVars(ConfigVarsCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public String convertToDatabaseColumn(Map<String, String> vars) {
        return cipher.encrypt(vars == null ? Map.of() : vars);
    }

    @Override
    public Map<String, String> convertToEntityAttribute(String column) {
        return cipher.decrypt(column);
    }
}

package io.slipway.api.secrets;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.springframework.stereotype.Component;

/** {@code apps.config_vars} as a {@link SealedConfigVars}: the same encryption as {@link EncryptedConfigVars}, decrypted lazily. */
@Component
@Converter
public class SealedConfigVarsConverter implements AttributeConverter<SealedConfigVars, String> {
    private final ConfigVarsCipher cipher;

    public SealedConfigVarsConverter(ConfigVarsCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public String convertToDatabaseColumn(SealedConfigVars vars) {
        return vars == null ? cipher.encrypt(java.util.Map.of()) : vars.toColumn(cipher);
    }

    @Override
    public SealedConfigVars convertToEntityAttribute(String column) {
        return SealedConfigVars.sealed(column, cipher);
    }
}

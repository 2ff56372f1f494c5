package io.slipway.api.persistence;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stores a {@code Map<String,String>} (config vars) as a JSON object in a text column, keys sorted. */
@Converter
public class JsonStringMap implements AttributeConverter<Map<String, String>, String> {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> TYPE = new TypeReference<>() {};

    @Override
    public String convertToDatabaseColumn(Map<String, String> map) {
        return JSON.writeValueAsString(map == null ? Map.of() : new TreeMap<>(map));
    }

    @Override
    public Map<String, String> convertToEntityAttribute(String column) {
        if (column == null || column.isBlank()) return new LinkedHashMap<>();
        return JSON.readValue(column, TYPE);
    }
}

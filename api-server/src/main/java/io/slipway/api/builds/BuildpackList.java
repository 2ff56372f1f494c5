package io.slipway.api.builds;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stores a build's buildpacks as a JSON array of {@code {url, name}} in a text column, in order. */
@Converter
public class BuildpackList implements AttributeConverter<List<BuildpackList.Entry>, String> {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Entry>> TYPE = new TypeReference<>() {};

    /** One buildpack: what the worker fetches or selects ({@code url}) and what users read ({@code name}). */
    public record Entry(String url, String name) {}

    @Override
    public String convertToDatabaseColumn(List<Entry> list) {
        return JSON.writeValueAsString(list == null ? List.of() : list);
    }

    @Override
    public List<Entry> convertToEntityAttribute(String column) {
        if (column == null || column.isBlank()) return List.of();
        return JSON.readValue(column, TYPE);
    }
}

package io.slipway.api.slugs;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.formation.DefineProcessTypes;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A slug's {@code process_types}: an object of process type → command, as a Procfile declares them. */
public final class ProcessTypes {
    public static final int MAX_TYPES = 100;
    public static final int MAX_COMMAND_LENGTH = 8192;

    private ProcessTypes() {}

    /** Reads and checks {@code node} (null or JSON null: none declared). */
    public static Map<String, String> parse(String field, JsonNode node) {
        Map<String, String> types = new LinkedHashMap<>();
        if (node == null || node.isNull()) return types;
        if (!node.isObject()) throw new InvalidInput("Invalid `" + field + "`: expected an object of process type to command.");
        for (var e : node.properties()) {
            if (!e.getValue().isString()) {
                throw new InvalidInput("Invalid `" + field + "`: the command of " + e.getKey() + " must be a string.");
            }
            types.put(e.getKey(), e.getValue().asString());
        }
        return validate(types);
    }

    public static Map<String, String> validate(Map<String, String> types) {
        if (types.size() > MAX_TYPES) throw new InvalidInput("A slug can declare at most " + MAX_TYPES + " process types.");
        types.forEach((type, command) -> {
            if (!DefineProcessTypes.TYPE.matcher(type).matches()) {
                throw new InvalidInput("Invalid process type " + type + ": use letters, digits, - and _ (at most 128).");
            }
            if (command.isBlank()) throw new InvalidInput("Process type " + type + " has no command.");
            if (command.length() > MAX_COMMAND_LENGTH || command.indexOf('\0') >= 0) {
                throw new InvalidInput("The command of process type " + type + " is not acceptable.");
            }
        });
        return types;
    }
}

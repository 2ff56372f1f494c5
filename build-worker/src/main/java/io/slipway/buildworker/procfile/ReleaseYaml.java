package io.slipway.buildworker.procfile;

import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads {@code default_process_types} from a buildpack's {@code bin/release} output, a YAML document (SnakeYAML).
 * A buildpack runs the tenant's code, so the document is hostile: only YAML's own types are built (no
 * {@code !!java} or other global tags), aliases to collections are refused outright (an alias bomb expands
 * billions of nodes from a few lines), and size and nesting are capped. Plain scalars stay strings
 * ({@code web: 1} is the command {@code "1"}, not a number), as a Procfile's commands are.
 */
public final class ReleaseYaml {
    private static final String KEY = "default_process_types";
    /** bin/release output is a few lines; BuildFiles caps the file, this caps what the parser accepts. */
    private static final int MAX_CODE_POINTS = 256 * 1024;
    private static final int MAX_NESTING = 16;

    /** The document is not YAML this reader accepts; the message says why, for the build's output. */
    public static final class InvalidReleaseYaml extends IllegalArgumentException {
        InvalidReleaseYaml(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ReleaseYaml() {}

    /** The process types and commands under the top-level key, in document order; empty when there are none. */
    public static Map<String, String> defaultProcessTypes(String yaml) {
        Object document;
        try {
            document = TenantYaml.parser(MAX_CODE_POINTS, MAX_NESTING, true).load(yaml);
        } catch (YAMLException e) {
            throw new InvalidReleaseYaml("invalid YAML: " + TenantYaml.firstLine(e.getMessage()), e);
        }
        Map<String, String> types = new LinkedHashMap<>();
        if (!(document instanceof Map<?, ?> top) || !(top.get(KEY) instanceof Map<?, ?> entries)) return types;
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            // a nested mapping, a list or an explicitly tagged value is not a command
            if (e.getKey() instanceof String type && e.getValue() instanceof String command
                    && !type.isBlank() && !command.isBlank()) {
                types.put(type, command);
            }
        }
        return types;
    }

}

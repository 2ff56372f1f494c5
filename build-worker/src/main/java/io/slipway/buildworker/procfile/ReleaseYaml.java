package io.slipway.buildworker.procfile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code default_process_types} from a buildpack's {@code bin/release} output. Buildpacks print a tiny
 * YAML document; this understands the forms they use: a block mapping indented under the key, a flow mapping
 * ({@code {}} or {@code {web: npm start}}), plain, single- and double-quoted scalars, and comments.
 */
public final class ReleaseYaml {
    private static final String KEY = "default_process_types:";

    private ReleaseYaml() {}

    public static Map<String, String> defaultProcessTypes(String yaml) {
        Map<String, String> types = new LinkedHashMap<>();
        String[] lines = yaml.replace("\r", "").split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]);
            if (!line.startsWith(KEY)) continue; // only the top-level key, never a nested one
            String rest = line.substring(KEY.length()).strip();
            if (rest.startsWith("{")) return flow(rest);
            if (!rest.isEmpty()) return types; // ~, null, or something this reader does not understand
            int indent = -1;
            for (int j = i + 1; j < lines.length; j++) {
                String entry = stripComment(lines[j]);
                if (entry.isBlank()) continue;
                int lead = entry.length() - entry.stripLeading().length();
                if (lead == 0) break; // next top-level key
                if (indent < 0) indent = lead;
                if (lead != indent) continue; // deeper nesting is not a process type
                int colon = keyEnd(entry.strip());
                if (colon < 0) continue;
                String key = unquote(entry.strip().substring(0, colon).strip());
                String value = unquote(entry.strip().substring(colon + 1).strip());
                if (!key.isEmpty() && !value.isEmpty()) types.put(key, value);
            }
            return types;
        }
        return types;
    }

    private static Map<String, String> flow(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        int close = text.lastIndexOf('}');
        String body = text.substring(1, close < 0 ? text.length() : close);
        for (String pair : splitOutsideQuotes(body)) {
            int colon = keyEnd(pair.strip());
            if (colon < 0) continue;
            String key = unquote(pair.strip().substring(0, colon).strip());
            String value = unquote(pair.strip().substring(colon + 1).strip());
            if (!key.isEmpty() && !value.isEmpty()) types.put(key, value);
        }
        return types;
    }

    private static java.util.List<String> splitOutsideQuotes(String body) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (char c : body.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ',') {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        if (!current.toString().isBlank()) parts.add(current.toString());
        return parts;
    }

    /** The colon that ends a mapping key: followed by a space or the end, and not inside quotes. */
    private static int keyEnd(String s) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ':' && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
            return s.substring(1, s.length() - 1).replace("''", "'");
        }
        return s;
    }

    /** Drops a {@code #} comment that starts a line or follows a space, outside quotes. */
    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i).stripTrailing();
            }
        }
        return line.stripTrailing();
    }
}

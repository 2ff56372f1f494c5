package io.slipway.launcher.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills in one of {@code deploy/*.env.example} the way an operator does: each setting given here replaces the
 * example's line for it (commented out or not) in place, the rest of the example is kept as it is (its comments
 * included), and settings the example does not mention are appended. The result reads both as a systemd
 * {@code EnvironmentFile} and as a shell file ({@code set -a; . file}), so values with spaces are double-quoted.
 */
final class EnvTemplate {
    private static final Pattern SETTING = Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=.*$");

    private EnvTemplate() {}

    static String render(Path example, Map<String, String> settings) {
        String text;
        try {
            text = Files.readString(example);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + example, e);
        }
        Map<String, String> left = new LinkedHashMap<>(settings);
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            Matcher m = SETTING.matcher(line);
            if (m.matches() && left.containsKey(m.group(1))) {
                String key = m.group(1);
                out.append(key).append('=').append(quote(left.remove(key))).append('\n');
            } else if (m.matches() && settings.containsKey(m.group(1))) {
                // a second example line for a setting already written (e.g. two commented alternatives): dropped
                continue;
            } else {
                out.append(line).append('\n');
            }
        }
        StringBuilder result = new StringBuilder(out.toString().replaceAll("\n+$", "\n"));
        if (!left.isEmpty()) {
            result.append("# --- set by ./slipway cluster ---\n");
            left.forEach((k, v) -> result.append(k).append('=').append(quote(v)).append('\n'));
        }
        return result.toString();
    }

    static String quote(String value) {
        if (value.matches("[A-Za-z0-9_./:@,+=%-]*")) return value;
        if (value.contains("\"") || value.contains("$") || value.contains("`") || value.contains("\\")) {
            throw new IllegalArgumentException("value not representable in an env file: " + value);
        }
        return "\"" + value + "\"";
    }
}

package io.slipway.buildworker.procfile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app's {@code Procfile}: one {@code <type>: <command>} per line, as Heroku reads it. Lines that do not match
 * (comments, blank lines) are skipped; a type declared twice keeps its last command.
 */
public final class Procfile {
    private static final Pattern LINE = Pattern.compile("^([A-Za-z0-9_-]+):\\s*(.+)$");

    private Procfile() {}

    public static Map<String, String> parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.replace("\r", "").strip();
            if (line.startsWith("#")) continue;
            Matcher m = LINE.matcher(line);
            if (m.matches()) types.put(m.group(1), m.group(2).strip());
        }
        return types;
    }
}

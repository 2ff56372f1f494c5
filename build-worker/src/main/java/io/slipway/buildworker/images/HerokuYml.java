package io.slipway.buildworker.images;

import io.slipway.buildworker.procfile.TenantYaml;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * An app's {@code heroku.yml}, as far as a build reads it: {@code build.docker} (process type to Dockerfile path),
 * {@code build.config} (build arguments), {@code run} (process type to a command string, or to a mapping with
 * {@code command:} as a string or a list, and {@code image:} naming the {@code build.docker} entry whose image it
 * runs in), {@code release} ({@code command:} and optional {@code image:}, the release phase) and whether a
 * {@code setup} section is there. The file is the tenant's:
 * parsed by SnakeYAML with only YAML's own types, no aliases to collections, and size and nesting capped.
 *
 * @param docker process type to the Dockerfile's path inside the source, in document order
 * @param buildArgs {@code build.config}, passed to Buildah as {@code --build-arg}
 * @param run process type to its command
 * @param runImages process type to the {@code build.docker} entry its {@code run.<type>.image} names
 * @param release the {@code release.command}, or null
 * @param releaseImage the {@code build.docker} entry {@code release.image} names, or null (web's image)
 */
public record HerokuYml(Map<String, String> docker, Map<String, String> buildArgs, Map<String, String> run,
                        boolean hasSetup, Map<String, String> runImages, String release, String releaseImage) {
    static final int MAX_CODE_POINTS = 64 * 1024;
    private static final int MAX_NESTING = 16;
    private static final String TYPE = "[A-Za-z0-9_-]{1,63}";

    /** The file is not one this reader accepts; the message says why, for the build's output. */
    public static final class InvalidHerokuYml extends Exception {
        InvalidHerokuYml(String message) {
            super("heroku.yml is invalid: " + message);
        }
    }

    public static HerokuYml parse(String text) throws InvalidHerokuYml {
        if (text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new InvalidHerokuYml("it is larger than " + (MAX_CODE_POINTS / 1024) + " KB");
        }
        Object document;
        try {
            document = TenantYaml.parser(MAX_CODE_POINTS + 1024, MAX_NESTING, false).load(text);
        } catch (YAMLException e) {
            throw new InvalidHerokuYml(TenantYaml.firstLine(e.getMessage()));
        }
        if (document == null) document = Map.of();
        Map<?, ?> top = mapping(document, "the top level");
        Map<?, ?> build = top.get("build") == null ? Map.of() : mapping(top.get("build"), "build");
        Map<String, String> docker = strings(build.get("docker"), "build.docker");
        Map<String, String> args = strings(build.get("config"), "build.config");
        for (String arg : args.keySet()) {
            if (!arg.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) throw new InvalidHerokuYml("build.config: bad name " + quote(arg));
        }
        for (String type : docker.keySet()) type(type, "build.docker");
        Map<String, String> run = new LinkedHashMap<>();
        Map<String, String> runImages = new LinkedHashMap<>();
        if (top.get("run") != null) {
            for (Map.Entry<?, ?> e : mapping(top.get("run"), "run").entrySet()) {
                String type = type(e.getKey(), "run");
                run.put(type, command("run." + type, e.getValue()));
                String image = image("run." + type, e.getValue(), docker);
                if (image != null) runImages.put(type, image);
            }
        }
        String release = null;
        String releaseImage = null;
        if (top.get("release") != null) {
            Map<?, ?> section = mapping(top.get("release"), "release");
            release = command("release", section);
            releaseImage = image("release", section, docker);
        }
        return new HerokuYml(docker, args, run, top.containsKey("setup"), runImages, release, releaseImage);
    }

    /** {@code image:} of a {@code run} entry or of {@code release}: a {@code build.docker} entry, or null. */
    private static String image(String where, Object value, Map<String, String> docker) throws InvalidHerokuYml {
        if (!(value instanceof Map<?, ?> m) || m.get("image") == null) return null;
        if (!(m.get("image") instanceof String image) || !docker.containsKey(image)) {
            throw new InvalidHerokuYml(where + ".image must name an entry of build.docker (" + quote(String.valueOf(m.get("image"))) + " does not)");
        }
        return image;
    }

    /**
     * A {@code run} entry: {@code web: cmd}, or {@code web: {command: [a, b]}}: list items are joined into one
     * shell command, each quoted where the shell would otherwise split or expand it (dynos run it with
     * {@code /bin/sh -c}).
     */
    private static String command(String where, Object value) throws InvalidHerokuYml {
        Object command = value instanceof Map<?, ?> m ? m.get("command") : value;
        if (command instanceof String s && !s.isBlank()) return s.strip();
        if (command instanceof List<?> list && !list.isEmpty()) {
            StringBuilder joined = new StringBuilder();
            for (Object part : list) {
                if (!(part instanceof String s)) throw new InvalidHerokuYml(where + ": command items must be strings");
                if (joined.length() > 0) joined.append(' ');
                joined.append(s.matches("[A-Za-z0-9_@%+=:,./-]+") ? s : "'" + s.replace("'", "'\\''") + "'");
            }
            return joined.toString();
        }
        throw new InvalidHerokuYml(where + " has no command");
    }

    private static String type(Object key, String where) throws InvalidHerokuYml {
        if (!(key instanceof String s) || !s.matches(TYPE)) {
            throw new InvalidHerokuYml(where + ": bad process type " + quote(String.valueOf(key)));
        }
        return s;
    }

    private static Map<?, ?> mapping(Object value, String where) throws InvalidHerokuYml {
        if (value instanceof Map<?, ?> m) return m;
        throw new InvalidHerokuYml(where + " must be a mapping");
    }

    private static Map<String, String> strings(Object value, String where) throws InvalidHerokuYml {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) return out;
        for (Map.Entry<?, ?> e : mapping(value, where).entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String v)) {
                throw new InvalidHerokuYml(where + " must map names to strings");
            }
            out.put(k, v);
        }
        return out;
    }

    private static String quote(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return "'" + cut.replaceAll("[\\p{Cntrl}]", "?") + "'";
    }

}

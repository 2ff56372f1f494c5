package io.slipway.buildworker.images;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * An app's {@code heroku.yml}, as far as a build reads it: {@code build.docker} (process type to Dockerfile path),
 * {@code build.config} (build arguments), {@code run} (process type to a command string, or to a mapping with
 * {@code command:} as a string or a list) and whether a {@code setup} section is there. The file is the tenant's:
 * parsed by SnakeYAML with only YAML's own types, no aliases to collections, and size and nesting capped.
 *
 * @param docker process type to the Dockerfile's path inside the source, in document order
 * @param buildArgs {@code build.config}, passed to Buildah as {@code --build-arg}
 * @param run process type to its command
 */
public record HerokuYml(Map<String, String> docker, Map<String, String> buildArgs, Map<String, String> run,
                        boolean hasSetup) {
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
            document = parser().load(text);
        } catch (YAMLException e) {
            throw new InvalidHerokuYml(firstLine(e.getMessage()));
        }
        if (document == null) document = Map.of();
        Map<?, ?> top = mapping(document, "the top level");
        Map<?, ?> build = top.get("build") == null ? Map.of() : mapping(top.get("build"), "build");
        Map<String, String> docker = strings(build.get("docker"), "build.docker");
        Map<String, String> args = strings(build.get("config"), "build.config");
        for (String arg : args.keySet()) {
            if (!arg.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) throw new InvalidHerokuYml("build.config: bad name " + quote(arg));
        }
        Map<String, String> run = new LinkedHashMap<>();
        if (top.get("run") != null) {
            for (Map.Entry<?, ?> e : mapping(top.get("run"), "run").entrySet()) {
                String type = type(e.getKey(), "run");
                run.put(type, command(type, e.getValue()));
            }
        }
        for (String type : docker.keySet()) type(type, "build.docker");
        return new HerokuYml(docker, args, run, top.containsKey("setup"));
    }

    /**
     * A {@code run} entry: {@code web: cmd}, or {@code web: {command: [a, b]}}: list items are joined into one
     * shell command, each quoted where the shell would otherwise split or expand it (dynos run it with
     * {@code /bin/sh -c}).
     */
    private static String command(String type, Object value) throws InvalidHerokuYml {
        Object command = value instanceof Map<?, ?> m ? m.get("command") : value;
        if (command instanceof String s && !s.isBlank()) return s.strip();
        if (command instanceof List<?> list && !list.isEmpty()) {
            StringBuilder joined = new StringBuilder();
            for (Object part : list) {
                if (!(part instanceof String s)) throw new InvalidHerokuYml("run." + type + ": command items must be strings");
                if (joined.length() > 0) joined.append(' ');
                joined.append(s.matches("[A-Za-z0-9_@%+=:,./-]+") ? s : "'" + s.replace("'", "'\\''") + "'");
            }
            return joined.toString();
        }
        if (value instanceof Map<?, ?> m && m.containsKey("image")) {
            throw new InvalidHerokuYml("run." + type + ": image is not supported: every process type runs in the built image");
        }
        throw new InvalidHerokuYml("run." + type + " has no command");
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

    /** A new parser per document: SnakeYAML's {@link Yaml} is not thread-safe. */
    private static Yaml parser() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_CODE_POINTS + 1024);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setTagInspector(tag -> false);
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new StringsOnly());
    }

    private static String firstLine(String message) {
        String m = message == null ? "unreadable document" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Every plain scalar stays a string ({@code PORT: 5000} is the build argument "5000"). */
    private static final class StringsOnly extends Resolver {
        @Override
        protected void addImplicitResolvers() {}
    }
}

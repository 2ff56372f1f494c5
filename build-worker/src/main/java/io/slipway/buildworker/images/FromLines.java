package io.slipway.buildworker.images;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base images a Dockerfile builds on, read from its {@code FROM} lines before Buildah runs so the worker
 * can load them: line continuations and comments, {@code --platform=...}, {@code AS <alias>} (a later
 * {@code FROM <alias>} names a stage, not an image), {@code scratch}, and {@code ARG} defaults declared before
 * the first {@code FROM} ({@code ${NAME}}, {@code $NAME}, {@code ${NAME:-default}}), overridden by build
 * arguments. {@code COPY --from=<image>} (not a stage) needs its image too. {@code ADD <url>} is refused: Buildah
 * would fetch it itself, as root, on the worker's network, outside the build sandbox; so are {@code RUN} options
 * ({@code --mount}, {@code --network}, {@code --security}). At most
 * {@value #MAX_BASE_IMAGES} images. Where each image comes from (the platform or the registry mirror) is
 * {@link BaseImageSources}' decision. Only as much of the Dockerfile syntax as that needs: Buildah parses the rest.
 */
public final class FromLines {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** More distinct base images than any real Dockerfile uses: each is an api-server call and a download or pull. */
    static final int MAX_BASE_IMAGES = 16;

    private FromLines() {}

    /** The images the Dockerfile builds on, in order of first use, without stages and scratch. */
    public static List<ImageReference> baseImages(String dockerfile, Map<String, String> buildArgs)
            throws BaseImageName.UnsupportedNameException {
        Map<String, String> globalArgs = new LinkedHashMap<>();
        Set<String> aliases = new HashSet<>();
        Set<ImageReference> images = new LinkedHashSet<>();
        boolean seenFrom = false;
        for (String line : instructions(dockerfile)) {
            String[] words = line.trim().split("\\s+");
            String keyword = words[0].toUpperCase(java.util.Locale.ROOT);
            if (keyword.equals("ARG") && !seenFrom) {
                for (int i = 1; i < words.length; i++) {
                    String[] kv = words[i].split("=", 2);
                    String value = buildArgs.containsKey(kv[0]) ? buildArgs.get(kv[0]) : kv.length == 2 ? unquote(kv[1]) : null;
                    if (value != null) globalArgs.put(kv[0], value);
                }
            } else if (keyword.equals("RUN") && words.length > 1 && words[1].startsWith("--")) {
                // --mount binds host paths or other images, --network=host leaves the sandbox: none of them
                throw new BaseImageName.UnsupportedNameException("RUN options (" + shown(words[1])
                        + ") are not supported: RUN steps run in the build's sandbox only.");
            } else if (keyword.equals("ADD") && fetchesUrl(words)) {
                // Buildah would fetch it itself, as root, from the worker's own network: outside the sandbox
                throw new BaseImageName.UnsupportedNameException("ADD from a URL is not supported: fetch it in a "
                        + "RUN step (RUN curl ...), which runs in the build's sandbox network.");
            } else if ((keyword.equals("COPY") || keyword.equals("ADD")) && copiesFromImage(words, aliases) != null) {
                images.add(ImageReference.parse(substitute(copiesFromImage(words, aliases), globalArgs)));
            } else if (keyword.equals("FROM")) {
                seenFrom = true;
                List<String> rest = new ArrayList<>();
                for (int i = 1; i < words.length; i++) {
                    if (!words[i].startsWith("--")) rest.add(words[i]);
                }
                if (rest.isEmpty()) throw new BaseImageName.UnsupportedNameException("FROM without an image name.");
                String image = substitute(rest.get(0), globalArgs);
                if (rest.size() >= 3 && rest.get(1).equalsIgnoreCase("AS")) {
                    aliases.add(rest.get(2).toLowerCase(java.util.Locale.ROOT));
                }
                if (image.isEmpty()) {
                    throw new BaseImageName.UnsupportedNameException("FROM " + rest.get(0) + ": the image name is empty "
                            + "(an ARG without a value?).");
                }
                String lower = image.toLowerCase(java.util.Locale.ROOT);
                if (lower.equals("scratch") || (aliases.contains(lower) && !lower.equals(aliasOf(rest)))) continue;
                images.add(ImageReference.parse(image));
            }
        }
        if (images.size() > MAX_BASE_IMAGES) {
            throw new BaseImageName.UnsupportedNameException("The Dockerfile uses " + images.size()
                    + " base images; at most " + MAX_BASE_IMAGES + " are allowed.");
        }
        return List.copyOf(images);
    }

    private static String shown(String word) {
        String w = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        return w.length() > 32 ? w.substring(0, 32) : w.replaceAll("\\p{Cntrl}", "?");
    }

    /** True when an ADD's sources include a URL or a git remote (its last word is the destination). */
    private static boolean fetchesUrl(String[] words) {
        for (int i = 1; i < words.length - 1; i++) {
            String w = words[i].replace("[", "").replace("\"", "").replace(",", "");
            if (w.contains("://") || w.startsWith("git@")) return true;
        }
        return false;
    }

    /** The image a {@code COPY --from=<image>} names, or null when it names a stage (by alias or number). */
    private static String copiesFromImage(String[] words, Set<String> aliases) {
        for (String w : words) {
            if (!w.toLowerCase(java.util.Locale.ROOT).startsWith("--from=")) continue;
            String from = w.substring("--from=".length());
            if (from.matches("[0-9]+") || aliases.contains(from.toLowerCase(java.util.Locale.ROOT))) return null;
            return from;
        }
        return null;
    }

    /** The alias a FROM line declares itself (a stage cannot build on its own alias). */
    private static String aliasOf(List<String> rest) {
        return rest.size() >= 3 && rest.get(1).equalsIgnoreCase("AS") ? rest.get(2).toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** Logical lines: continuations joined, comments and blank lines dropped. */
    static List<String> instructions(String dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\r?\n", -1)) {
            String line = raw.strip();
            if (line.startsWith("#")) continue; // comments (and parser directives) even inside a continuation
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) out.add(current.toString());
            current.setLength(0);
        }
        if (!current.toString().isBlank()) out.add(current.toString());
        return out;
    }

    private static String substitute(String word, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(word);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String value = args.get(name);
            if ((value == null || value.isEmpty()) && m.group(2) != null) value = m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}

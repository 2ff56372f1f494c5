package io.slipway.buildworker.slug;

import io.slipway.shared.fs.TreeDelete;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The patterns of an app's {@code .slugignore}: {@code .gitignore} syntax without negation, as on Heroku.
 * Like Heroku, matching files are removed from the source before the buildpacks run, so they never reach the
 * slug (and a dependency the build installs is never removed by an over-broad pattern).
 */
public final class SlugIgnore {
    private final List<Rule> rules;

    private record Rule(Pattern pattern, boolean directoriesOnly) {}

    private SlugIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    public static SlugIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.replace("\r", "").strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) continue;
            boolean dirOnly = line.endsWith("/");
            if (dirOnly) line = line.substring(0, line.length() - 1);
            boolean anchored = line.contains("/");
            if (line.startsWith("/")) line = line.substring(1);
            if (line.isEmpty()) continue;
            String regex = (anchored ? "" : "(?:.*/)?") + globToRegex(line);
            rules.add(new Rule(Pattern.compile(regex), dirOnly));
        }
        return new SlugIgnore(rules);
    }

    /** The rules of a {@code .slugignore} read by the caller without following links; none without one. */
    public static SlugIgnore of(Optional<String> text) {
        return text.map(SlugIgnore::parse).orElseGet(() -> new SlugIgnore(List.of()));
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** @param relativePath slash-separated, relative to the app's root */
    public boolean matches(String relativePath, boolean directory) {
        for (Rule rule : rules) {
            if (rule.directoriesOnly() && !directory) continue;
            if (rule.pattern().matcher(relativePath).matches()) return true;
        }
        return false;
    }

    /** Deletes every matching file and directory under {@code dir}; answers how many were removed. */
    public int removeFrom(Path dir) throws IOException {
        if (rules.isEmpty()) return 0;
        List<Path> doomed = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (d.equals(dir)) return FileVisitResult.CONTINUE;
                if (matches(relative(dir, d), true)) {
                    doomed.add(d);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (matches(relative(dir, f), false)) doomed.add(f);
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path p : doomed) TreeDelete.deleteOrThrow(p);
        return doomed.size();
    }

    static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean doubleStar = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                if (doubleStar) {
                    boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                    if (slashAfter) { re.append("(?:.*/)?"); i += 2; } else { re.append(".*"); i += 1; }
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int close = glob.indexOf(']', i + 2);
                if (close < 0) { re.append("\\["); continue; }
                String set = glob.substring(i + 1, close);
                if (set.startsWith("!")) set = "^" + set.substring(1);
                re.append('[').append(set.replace("\\", "\\\\")).append(']');
                i = close;
            } else if (c == '\\' && i + 1 < glob.length()) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        // a pattern naming a directory also covers everything inside it
        return re + "(?:/.*)?";
    }
}

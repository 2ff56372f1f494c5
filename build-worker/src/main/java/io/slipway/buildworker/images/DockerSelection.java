package io.slipway.buildworker.images;

import io.slipway.buildworker.procfile.Procfile;
import io.slipway.buildworker.run.BuildFailedException;
import io.slipway.shared.fs.TenantFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a source is built from a Dockerfile, and from which: {@code heroku.yml} with
 * {@code build.docker} (unless the app set buildpacks on a buildpack stack), else on the {@code container} stack
 * the {@code Dockerfile} at the top of the source (none: the build fails), else a {@code Dockerfile} when the app
 * set no buildpack (Dokku's rule: a Dockerfile without buildpack settings means a Dockerfile deploy, even next to
 * a {@code package.json}). Every file is read without following links: the source is the tenant's, the worker
 * is root.
 */
public final class DockerSelection {
    public static final String CONTAINER_STACK = "container";
    static final String NO_DOCKERFILE = "No Dockerfile or heroku.yml found; the container stack builds from a Dockerfile.";
    private static final long MAX_DOCKERFILE_BYTES = 1 << 20;

    private DockerSelection() {}

    public static Optional<ImagePlan> select(Path source, String stack, boolean buildpacksSet)
            throws IOException, BuildFailedException {
        boolean container = CONTAINER_STACK.equals(stack);
        Optional<String> yml = read(source, "heroku.yml", HerokuYml.MAX_CODE_POINTS * 4L);
        if (yml.isPresent() && (container || !buildpacksSet)) {
            HerokuYml parsed;
            try {
                parsed = HerokuYml.parse(yml.get());
            } catch (HerokuYml.InvalidHerokuYml e) {
                throw new BuildFailedException(e.getMessage());
            }
            if (!parsed.docker().isEmpty()) return Optional.of(fromHerokuYml(source, parsed));
        }
        if (container || !buildpacksSet) {
            Optional<String> dockerfile = read(source, "Dockerfile", MAX_DOCKERFILE_BYTES);
            if (dockerfile.isPresent()) {
                return Optional.of(new ImagePlan("Dockerfile", dockerfile.get(), Map.of(), procfile(source),
                        List.of()));
            }
        }
        if (container) throw new BuildFailedException(NO_DOCKERFILE);
        return Optional.empty();
    }

    private static ImagePlan fromHerokuYml(Path source, HerokuYml yml) throws IOException, BuildFailedException {
        List<String> notes = new ArrayList<>();
        String type = yml.docker().containsKey("web") ? "web" : yml.docker().keySet().iterator().next();
        String path = yml.docker().get(type);
        for (Map.Entry<String, String> other : yml.docker().entrySet()) {
            if (!other.getValue().equals(path)) {
                notes.add("build.docker." + other.getKey() + " (" + other.getValue() + ") is not built: only "
                        + type + "'s image (" + path + ") is built, and every process type runs in it.");
            }
        }
        if (yml.hasSetup()) {
            notes.add("heroku.yml setup: is not supported yet: add-ons and config vars are not created from it "
                    + "(use heroku addons:create and heroku config:set).");
        }
        String dockerfile = read(source, path, MAX_DOCKERFILE_BYTES).orElseThrow(() -> new BuildFailedException(
                "heroku.yml: build.docker." + type + " names " + path + ", which is not in the source."));
        Map<String, String> types = new LinkedHashMap<>(procfile(source));
        types.putAll(yml.run());
        return new ImagePlan(path, dockerfile, yml.buildArgs(), types, notes);
    }

    private static Map<String, String> procfile(Path source) throws IOException, BuildFailedException {
        return read(source, "Procfile", 1 << 20).map(Procfile::parse).orElse(Map.of());
    }

    /**
     * A file of the source by relative path: no absolute path, no {@code ..}, and no component a link or (but
     * the last) not a directory, so the worker reads only what lies in the source.
     */
    static Optional<String> read(Path source, String relative, long maxBytes) throws IOException, BuildFailedException {
        String[] parts = relative.replace('\\', '/').split("/");
        if (relative.isBlank() || relative.startsWith("/") || relative.length() > 1024) {
            throw new BuildFailedException(shown(relative) + ": only a path inside the source can be used.");
        }
        Path dir = source;
        List<String> names = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                throw new BuildFailedException(shown(relative) + ": only a path inside the source can be used.");
            }
            names.add(part);
        }
        if (names.isEmpty()) throw new BuildFailedException(shown(relative) + ": not a file.");
        for (int i = 0; i < names.size() - 1; i++) {
            dir = dir.resolve(names.get(i));
            if (Files.isSymbolicLink(dir)) {
                throw new BuildFailedException(shown(relative) + ": " + names.get(i) + " is a symbolic link; it was not read");
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        }
        try {
            return TenantFiles.readString(dir, names.get(names.size() - 1), relative, maxBytes);
        } catch (TenantFiles.NotARegularFileException e) {
            throw new BuildFailedException(e.getMessage());
        }
    }

    private static String shown(String s) {
        String cut = s.length() > 128 ? s.substring(0, 128) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}

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
    /** Each is a whole Buildah build inside the one build's time limit. */
    static final int MAX_DOCKERFILES = 8;
    private static final String RELEASE = "release";

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
        // which Dockerfile each type runs in: its build.docker entry, or the entry its run.<type>.image (or
        // release.image) names; types named nowhere run in the primary image
        Map<String, String> typePaths = new LinkedHashMap<>(yml.docker());
        yml.runImages().forEach((t, image) -> typePaths.put(t, yml.docker().get(image)));
        if (yml.release() != null && yml.releaseImage() != null) {
            typePaths.put(RELEASE, yml.docker().get(yml.releaseImage()));
        }
        Map<String, List<String>> otherPaths = new LinkedHashMap<>(); // normalized path -> its types
        Map<String, String> shownPaths = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : typePaths.entrySet()) {
            String key = normalized(e.getValue());
            if (key.equals(normalized(path))) continue;
            otherPaths.computeIfAbsent(key, k -> new ArrayList<>()).add(e.getKey());
            shownPaths.putIfAbsent(key, e.getValue());
        }
        if (otherPaths.size() + 1 > MAX_DOCKERFILES) {
            throw new BuildFailedException("heroku.yml names " + (otherPaths.size() + 1) + " Dockerfiles; at most "
                    + MAX_DOCKERFILES + " can be built for one release.");
        }
        if (yml.hasSetup()) {
            notes.add("heroku.yml setup: is applied by heroku apps:create --manifest, not by a push.");
        }
        String dockerfile = dockerfile(source, type, path);
        List<ImagePlan.Other> others = new ArrayList<>();
        for (Map.Entry<String, List<String>> other : otherPaths.entrySet()) {
            String shown = shownPaths.get(other.getKey());
            others.add(new ImagePlan.Other(shown, dockerfile(source, other.getValue().get(0), shown), other.getValue()));
        }
        Map<String, String> types = new LinkedHashMap<>(procfile(source));
        types.putAll(yml.run());
        if (yml.release() != null) types.put(RELEASE, yml.release());
        return new ImagePlan(path, dockerfile, yml.buildArgs(), types, notes, others);
    }

    private static String dockerfile(Path source, String type, String path) throws IOException, BuildFailedException {
        return read(source, path, MAX_DOCKERFILE_BYTES).orElseThrow(() -> new BuildFailedException(
                "heroku.yml: " + path + " (the Dockerfile of " + type + ") is not in the source."));
    }

    /** {@code ./worker//Dockerfile} and {@code worker/Dockerfile} are one Dockerfile, built once. */
    private static String normalized(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.replace('\\', '/').split("/")) {
            if (!part.isEmpty() && !part.equals(".")) parts.add(part);
        }
        return String.join("/", parts);
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

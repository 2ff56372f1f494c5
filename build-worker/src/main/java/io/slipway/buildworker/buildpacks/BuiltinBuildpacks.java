package io.slipway.buildworker.buildpacks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The buildpacks shipped with Slipway (small bash scripts under {@code resources/buildpacks/<name>/bin}), written
 * to disk when the worker starts. Without buildpacks set, an app is detected against them in {@link #ORDER}.
 */
public final class BuiltinBuildpacks {
    /** Detection order when an app has no buildpack set: the first whose {@code bin/detect} passes builds it. */
    public static final List<String> ORDER = List.of("nodejs", "java", "python", "static", "procfile");
    private static final List<String> SCRIPTS = List.of("detect", "compile", "release");

    private final Path dir;

    private BuiltinBuildpacks(Path dir) {
        this.dir = dir;
    }

    /** Writes every built-in buildpack under {@code dir} (replacing older copies) and answers them. */
    public static BuiltinBuildpacks extract(Path dir) throws IOException {
        for (String name : ORDER) {
            Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
            for (String script : SCRIPTS) {
                String resource = "/buildpacks/" + name + "/bin/" + script;
                try (InputStream in = BuiltinBuildpacks.class.getResourceAsStream(resource)) {
                    if (in == null) throw new IllegalStateException("missing built-in buildpack file " + resource);
                    Path target = bin.resolve(script);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            Path export = dir.resolve(name).resolve("export");
            if (!Files.exists(export)) Files.createFile(export);
        }
        return new BuiltinBuildpacks(dir);
    }

    /** Every built-in buildpack, in detection order. */
    public List<Buildpack> all() {
        return ORDER.stream().map(name -> new Buildpack("heroku/" + name, dir.resolve(name))).toList();
    }

    /**
     * A built-in named by {@code urn:buildpack:heroku/nodejs}, {@code heroku/nodejs} or {@code nodejs}
     * (also {@code heroku/jvm}, {@code heroku/node}, {@code heroku-community/static}).
     */
    public Optional<Buildpack> named(String reference) {
        String name = reference.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("urn:buildpack:")) name = name.substring("urn:buildpack:".length());
        int slash = name.indexOf('/');
        if (slash >= 0) {
            String owner = name.substring(0, slash);
            if (!owner.equals("heroku") && !owner.equals("heroku-community") && !owner.equals("slipway")) {
                return Optional.empty();
            }
            name = name.substring(slash + 1);
        }
        name = switch (name) {
            case "node", "node.js" -> "nodejs";
            case "jvm", "java-maven", "maven" -> "java";
            default -> name;
        };
        if (!ORDER.contains(name)) return Optional.empty();
        return Optional.of(new Buildpack(reference, dir.resolve(name)));
    }
}

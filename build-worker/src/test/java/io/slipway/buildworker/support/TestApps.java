package io.slipway.buildworker.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Builds test apps and buildpacks on disk and packs them with the real {@code tar} and {@code git}. */
public final class TestApps {
    private TestApps() {}

    /** Writes files (path → content); a path ending in {@code bin/...} or {@code .sh} is made executable. */
    public static Path write(Path dir, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
            if (f.getKey().contains("bin/") || f.getKey().endsWith(".sh")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return dir;
    }

    /** {@code tar czf} of a directory's contents (hidden files included, as a plain tarball upload would). */
    public static byte[] tgz(Path dir) throws IOException {
        Path out = Files.createTempFile("slipway-test", ".tgz");
        try {
            run(dir, "tar", "czf", out.toString(), "-C", dir.toString(), ".");
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Commits the directory with git and answers {@code git archive --format=tar.gz HEAD}, as git-gateway makes. */
    public static GitSource gitArchive(Path dir) throws IOException {
        gitCommit(dir);
        String sha = run(dir, "git", "rev-parse", "HEAD").trim();
        Path out = Files.createTempFile("slipway-test", ".tgz");
        try {
            run(dir, "git", "archive", "--format=tar.gz", "-o", out.toString(), "HEAD");
            return new GitSource(Files.readAllBytes(out), sha);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    public record GitSource(byte[] tgz, String commit) {}

    public static void gitCommit(Path dir) throws IOException {
        run(dir, "git", "init", "-q", "-b", "main");
        run(dir, "git", "add", "-A");
        run(dir, "git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "app");
    }

    /** The entry names of a tar.gz, as GNU tar lists them (proves the archive is readable by standard tools). */
    public static List<String> list(Path tgz) throws IOException {
        return new ArrayList<>(List.of(run(tgz.getParent(), "tar", "tzf", tgz.toString()).split("\n")));
    }

    /** Extracts one file of a tar.gz with GNU tar. */
    public static String read(Path tgz, String entry) throws IOException {
        return run(tgz.getParent(), "tar", "xzOf", tgz.toString(), entry);
    }

    public static String run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output;
    }
}

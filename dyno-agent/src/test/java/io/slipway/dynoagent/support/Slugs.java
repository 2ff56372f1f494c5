package io.slipway.dynoagent.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Builds slug tarballs as the build-worker does: entries under {@code ./app}, owned by 1000:1000. */
public final class Slugs {
    private Slugs() {}

    /** @param files path under app/ → content; names ending in .sh are executable */
    public static Path build(Path workDir, Map<String, String> files) throws Exception {
        Path src = Files.createTempDirectory(workDir, "slugsrc");
        Path app = src.resolve("app");
        Files.createDirectories(app);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = app.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
            if (f.getKey().endsWith(".sh")) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path tgz = workDir.resolve("slug-" + System.nanoTime() + ".tgz");
        Process tar = new ProcessBuilder("tar", "-czf", tgz.toString(), "--owner=1000", "--group=1000", "-C",
                src.toString(), "./app").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) throw new IOException("tar failed");
        return tgz;
    }

    public static String checksum(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        return "SHA256:" + HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file)));
    }
}

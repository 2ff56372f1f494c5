package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gzipped tarballs made and read with the real {@code tar}, as a user's CI would: a source blob ({@code POST /sources},
 * then the builds API and app-setups), a slug, and an archive's listing. Temporary files are deleted whatever happens.
 */
final class SourceTarballs {
    private SourceTarballs() {}

    /** A source directory's tarball. */
    static byte[] of(Path dir) throws IOException, InterruptedException {
        return tar(dir);
    }

    /** {@code tar -C dir -czf - .}, links stored as links, owned by uid 1000 as the build-worker's slugs are. */
    static byte[] ownedBy1000(Path dir) throws IOException, InterruptedException {
        return tar(dir, "--owner=1000", "--group=1000");
    }

    /** {@code tar -tvzf} of an archive: one line per entry, links shown as {@code name -> target}. */
    static String listing(byte[] tgz) throws IOException, InterruptedException {
        Path in = Files.createTempFile("listing", ".tgz");
        Path out = Files.createTempFile("listing", ".txt");
        try {
            Files.write(in, tgz);
            Process p = new ProcessBuilder("tar", "-tvzf", in.toString()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "tar -t failed");
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    private static byte[] tar(Path dir, String... options) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tarball", ".tgz");
        try {
            List<String> command = new ArrayList<>(List.of("tar", "-czf", out.toString()));
            command.addAll(List.of(options));
            command.addAll(List.of("-C", dir.toString(), "."));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "tar failed");
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

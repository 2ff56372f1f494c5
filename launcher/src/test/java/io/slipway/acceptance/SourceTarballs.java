package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A directory as the gzipped tarball a source blob holds ({@code POST /sources}, then the builds API and app-setups). */
final class SourceTarballs {
    private SourceTarballs() {}

    /** Made with the real {@code tar}, as a user's CI would; the temporary file is deleted whatever happens. */
    static byte[] of(Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile("src", ".tgz");
        try {
            Process p = new ProcessBuilder("tar", "czf", out.toString(), "-C", dir.toString(), ".")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0);
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

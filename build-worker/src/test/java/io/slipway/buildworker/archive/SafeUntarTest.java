package io.slipway.buildworker.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slipway.buildworker.support.TestApps;
import io.slipway.shared.archive.ExtractionPolicy;
import io.slipway.shared.archive.SafeUntar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared extractor reads the sources builds get: GNU tar's and {@code git archive}'s output, with its commit.
 * The hostile archives are in the shared module's {@code SafeUntarAttackTest}.
 */
class SafeUntarTest {
    private static final ExtractionPolicy POLICY = ExtractionPolicy.limitedTo(1 << 20);
    @TempDir Path tmp;

    @Test
    void unpacksWhatGnuTarAndGitArchiveWrite() throws IOException {
        String longName = "deep/" + "d".repeat(90) + "/" + "f".repeat(90) + ".txt";
        Path app = TestApps.write(Files.createDirectories(tmp.resolve("app")), Map.of(
                "Procfile", "web: x\n", "bin/run", "#!/bin/sh\n", longName, "long\n"));
        Files.createSymbolicLink(app.resolve("link"), Path.of("Procfile"));
        Files.createSymbolicLink(app.resolve("passwd"), Path.of("/etc/passwd"));
        Path dest = tmp.resolve("dest");
        SafeUntar.Result plain = SafeUntar.extract(new ByteArrayInputStream(TestApps.tgz(app)), dest, POLICY);
        assertEquals("web: x\n", Files.readString(dest.resolve("Procfile")));
        assertEquals("long\n", Files.readString(dest.resolve(longName)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("bin/run"))));
        assertEquals(Path.of("Procfile"), Files.readSymbolicLink(dest.resolve("link")));
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(dest.resolve("passwd")));
        assertEquals(null, plain.globalComment());

        TestApps.GitSource git = TestApps.gitArchive(app);
        SafeUntar.Result fromGit = SafeUntar.extract(new ByteArrayInputStream(git.tgz()), tmp.resolve("git"), POLICY);
        assertEquals(git.commit(), fromGit.globalComment(), "git archive's pax comment carries the commit");
        assertEquals("long\n", Files.readString(tmp.resolve("git").resolve(longName)));
    }
}

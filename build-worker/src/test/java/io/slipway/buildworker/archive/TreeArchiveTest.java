package io.slipway.buildworker.archive;

import io.slipway.shared.archive.ExtractionPolicy;
import io.slipway.shared.archive.SafeUntar;
import io.slipway.shared.archive.TreeArchive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.support.FakeApiServer;
import io.slipway.buildworker.support.TestApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeArchiveTest {
    @TempDir Path tmp;

    @Test
    void writesWhatGnuTarAndSafeUntarReadBack() throws IOException {
        String longName = "node_modules/" + "p".repeat(80) + "/lib/" + "n".repeat(80) + ".js";
        Path app = TestApps.write(Files.createDirectories(tmp.resolve("app")), Map.of(
                "Procfile", "web: x\n", "bin/start", "#!/bin/sh\n", longName, "module.exports = 1\n",
                ".git/HEAD", "ref\n"));
        Files.createDirectories(app.resolve("empty"));
        Files.createSymbolicLink(app.resolve("node_modules/.bin"), Path.of("../bin"));
        Path tgz = tmp.resolve("slug.tgz");
        TreeArchive.Written written = TreeArchive.write(app, "./app/", rel -> rel.equals(".git"), tgz);

        assertEquals(Files.size(tgz), written.size());
        assertEquals(FakeApiServer.sha256(Files.readAllBytes(tgz)), written.checksum());
        List<String> entries = TestApps.list(tgz);
        assertTrue(entries.containsAll(List.of("./app/", "./app/Procfile", "./app/bin/start", "./app/empty/",
                "./app/" + longName, "./app/node_modules/.bin")), entries.toString());
        assertTrue(entries.stream().noneMatch(e -> e.contains(".git")), entries.toString());

        Path back = tmp.resolve("back");
        SafeUntar.extract(tgz, back, ExtractionPolicy.limitedTo(1 << 20));
        assertEquals("module.exports = 1\n", Files.readString(back.resolve("app/" + longName)));
        assertEquals(Path.of("../bin"), Files.readSymbolicLink(back.resolve("app/node_modules/.bin")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("app/bin/start"))));
    }
}

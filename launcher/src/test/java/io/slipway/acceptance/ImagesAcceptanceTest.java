package io.slipway.acceptance;

import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.launcher.images.ImagesCommand;
import io.slipway.shared.testing.ScratchDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base images on a real platform (real api-server, PostgreSQL, s3proxy): {@code slipway up} provides
 * {@code heroku-24} and {@code heroku-22}; {@code slipway images:import} adds one from a tar, uploads nothing the
 * second time, and refuses what is not a tar; {@code slipway images} lists them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private Platform platform;
    private Path dataDir;

    @BeforeAll
    void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mmdebstrap (the default base image) needs root");
        dataDir = scratch.create("slipway-images").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        // the first time on a machine this is mmdebstrap downloading Debian (minutes); then the cached image
        platform.baseImages().done().get(30, TimeUnit.MINUTES);
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void upProvidesHeroku24AndHeroku22AsTheSameImage() {
        List<String> lines = images();
        String h24 = lines.stream().filter(l -> l.startsWith("heroku-24:latest ")).findFirst().orElseThrow(() -> new AssertionError(lines));
        String h22 = lines.stream().filter(l -> l.startsWith("heroku-22:latest ")).findFirst().orElseThrow(() -> new AssertionError(lines));
        assertEquals(h24.split("\\s+")[1], h22.split("\\s+")[1], "one root, two names: " + lines);
        assertTrue(h24.split("\\s+")[1].matches("sha256:[0-9a-f]{64}"), h24);
    }

    @Test
    void importAddsAnImageOnceAndListsIt() throws Exception {
        Path tar = tinyRootfs();
        String first = command("images:import", "tiny-base:v1", tar.toString(), "--env", "GREETING=hi", "--user", "1000",
                "--data-dir", dataDir.toString());
        assertTrue(first.startsWith("Imported tiny-base:v1 (sha256:"), first);
        assertTrue(first.contains(", 3 new blobs)"), "layer, config and manifest uploaded: " + first);
        String again = command("images:import", "tiny-base:v1", tar.toString(), "--data-dir", dataDir.toString());
        // same tar, other env: a new config and manifest, but the layer is stored already
        assertTrue(again.contains(", 2 new blobs)"), again);
        String alias = command("images:import", "tiny-alias", tar.toString(), "--data-dir", dataDir.toString());
        assertTrue(alias.contains(", 0 new blobs)"), "identical image under another name uploads nothing: " + alias);
        List<String> lines = images();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("tiny-base:v1 ")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("tiny-alias:latest ")), lines.toString());
    }

    @Test
    void aFileThatIsNotATarAndABadNameAreRefusedClearly() throws Exception {
        Path notTar = Files.createTempFile(scratch.create("not-a-rootfs"), "not-a-rootfs", ".tar");
        Files.writeString(notTar, "hello, this is plain text and no tar archive at all\n".repeat(40));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> command("images:import", "broken", notTar.toString(), "--data-dir", dataDir.toString()));
        assertTrue(e.getMessage().contains("is not a tar archive"), e.getMessage());
        IllegalStateException name = assertThrows(IllegalStateException.class,
                () -> command("images:import", "Bad/Name", tinyRootfs().toString(), "--data-dir", dataDir.toString()));
        assertTrue(name.getMessage().contains("is not valid"), name.getMessage());
        assertTrue(images().stream().noneMatch(l -> l.startsWith("broken")), "nothing recorded");
    }

    private List<String> images() {
        return new ArrayList<>(command("images", "--data-dir", dataDir.toString()).lines().toList());
    }

    private static String command(String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImagesCommand.run(command, List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private static Path tinyRootfs() throws Exception {
        Path tar = Files.createTempFile(scratch.create("tiny-rootfs"), "tiny-rootfs", ".tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            byte[] hello = "hello from a tiny root\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("./etc/motd");
            e.setSize(hello.length);
            out.putArchiveEntry(e);
            out.write(hello);
            out.closeArchiveEntry();
        }
        return tar;
    }
}

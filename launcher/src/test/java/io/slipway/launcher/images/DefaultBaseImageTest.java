package io.slipway.launcher.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The default base image for real: mmdebstrap from the Debian mirror into the Slipway cache (minutes the first
 * time on a machine, then reused), and what the image holds is what Dockerfiles on {@code FROM heroku-24} rely on.
 */
class DefaultBaseImageTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    @Test
    void theCachedDefaultImageIsADebian12RootWithBashSocatAndBusybox() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mmdebstrap's root mode needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mmdebstrap")), "needs mmdebstrap (launcher/scripts/install-packages.sh)");
        Path dir = DefaultBaseImage.ensureBuilt(DefaultBaseImage.cacheDir(),
                scratch.create("base-image-log").resolve("base-image.log"));
        RootfsImage.Packed packed = RootfsImage.load(dir);
        assertEquals(null, packed.ref().config().user());
        assertTrue(packed.ref().config().env().stream().anyMatch(e -> e.startsWith("PATH=")), packed.ref().config().env().toString());

        Map<String, TarArchiveEntry> entries = new HashMap<>();
        String osRelease = null;
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(
                Files.newInputStream(packed.layer().file())))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName().replaceFirst("^\\./", "");
                entries.put(name, e);
                assertTrue(!e.isCharacterDevice() && !e.isBlockDevice() && !e.isFIFO(), "no device files: " + name);
                if (name.equals("usr/lib/os-release")) osRelease = read(in);
            }
        }
        assertTrue(osRelease != null && osRelease.contains("VERSION_CODENAME=bookworm"), String.valueOf(osRelease));
        for (String needed : new String[] {"usr/bin/bash", "usr/bin/socat", "usr/bin/busybox", "etc/ssl/certs/ca-certificates.crt"}) {
            assertTrue(entries.containsKey(needed) || entries.containsKey(needed.replaceFirst("^usr/", "")), needed + " is missing");
        }
        assertTrue(entries.keySet().stream().noneMatch(n -> n.startsWith("usr/share/man/") && !n.endsWith("/")),
                "man pages are left out");
        assertTrue(entries.keySet().stream().noneMatch(n -> n.matches("usr/bin/(gcc|cc|make)")), "no compilers");
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}

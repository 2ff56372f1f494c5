package io.slipway.shared.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantFilesTest {
    @TempDir Path tmp;

    @Test
    void readsARegularFileAndNothingElse() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "platform token");
        Path dir = Files.createDirectories(tmp.resolve("results"));
        Files.writeString(dir.resolve("Procfile"), "web: x\n");
        assertEquals(Optional.of("web: x\n"), TenantFiles.readString(dir, "Procfile", "Procfile", 100));
        assertEquals(Optional.empty(), TenantFiles.readString(dir, "missing", "missing", 100));

        Files.createSymbolicLink(dir.resolve("link"), secret);
        TenantFiles.NotARegularFileException e = assertThrows(TenantFiles.NotARegularFileException.class,
                () -> TenantFiles.readString(dir, "link", "the link", 100));
        assertFalse(e.getMessage().contains("platform token") || e.getMessage().contains(secret.toString()));
        assertTrue(e.getMessage().contains("symbolic link"));

        Process fifo = new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start();
        assertEquals(0, fifo.waitFor());
        assertThrows(TenantFiles.NotARegularFileException.class, () -> TenantFiles.readString(dir, "fifo", "f", 100));
        Files.createDirectories(dir.resolve("sub"));
        assertThrows(TenantFiles.NotARegularFileException.class, () -> TenantFiles.readString(dir, "sub", "s", 100));
        Files.writeString(dir.resolve("big"), "x".repeat(101));
        assertThrows(TenantFiles.NotARegularFileException.class, () -> TenantFiles.readString(dir, "big", "b", 100));
        assertThrows(IllegalArgumentException.class, () -> TenantFiles.readString(dir, "../secret", "s", 100));
    }
}

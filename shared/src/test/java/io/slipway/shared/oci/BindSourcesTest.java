package io.slipway.shared.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindSourcesTest {
    @TempDir Path tmp;

    @Test
    void aSourceResolvingToItselfIsAccepted() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("dyno/slug/app"));
        assertEquals(app.toRealPath(), BindSources.verified(app, tmp.resolve("dyno")));
        // the operator's own link above the base is resolved, not refused
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), tmp.resolve("dyno"));
        assertEquals(app.toRealPath(), BindSources.verified(alias.resolve("slug/app"), alias));
    }

    @Test
    void aLinkBelowTheBaseIsRefusedWhereverItPoints() throws Exception {
        Path slug = Files.createDirectories(tmp.resolve("dyno/slug"));
        Files.createDirectories(tmp.resolve("dyno/slug/real"));
        Path toRoot = Files.createSymbolicLink(slug.resolve("app"), Path.of("/"));
        Path inside = Files.createSymbolicLink(slug.resolve("inside"), Path.of("real"));
        Files.createSymbolicLink(slug.resolve("a"), Path.of("."));
        Files.createSymbolicLink(slug.resolve("b"), Path.of("a/.."));
        Path base = tmp.resolve("dyno");
        assertThrows(BindSources.UnsafeBindSourceException.class, () -> BindSources.verified(toRoot, base));
        assertThrows(BindSources.UnsafeBindSourceException.class, () -> BindSources.verified(inside, base));
        assertThrows(BindSources.UnsafeBindSourceException.class,
                () -> BindSources.verified(slug.resolve("b/slug/real"), base));
        assertThrows(BindSources.UnsafeBindSourceException.class,
                () -> BindSources.verified(slug.resolve("missing"), base));
        assertThrows(BindSources.UnsafeBindSourceException.class, () -> BindSources.verified(Path.of("/etc"), base));
    }
}

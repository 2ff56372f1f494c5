package io.slipway.buildworker.slug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.support.TestApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlugIgnoreTest {
    @Test
    void matchesLikeGitignoreWithoutNegation() {
        SlugIgnore ignore = SlugIgnore.parse("""
                # comment
                *.psd
                /docs
                spec/
                test/fixtures/**
                log?.txt
                !keep.psd
                """);
        assertTrue(ignore.matches("art.psd", false));
        assertTrue(ignore.matches("assets/art.psd", false), "unanchored patterns match at any depth");
        assertTrue(ignore.matches("keep.psd", false), "negation is not supported, as on Heroku");
        assertTrue(ignore.matches("docs", true));
        assertTrue(ignore.matches("docs/a/b.md", false), "a directory takes its contents along");
        assertFalse(ignore.matches("lib/docs", true), "a leading slash anchors to the root");
        assertTrue(ignore.matches("lib/spec", true));
        assertFalse(ignore.matches("spec", false), "a trailing slash matches directories only");
        assertTrue(ignore.matches("test/fixtures/x/y.json", false));
        assertFalse(ignore.matches("test/unit.js", false));
        assertTrue(ignore.matches("log1.txt", false));
        assertFalse(ignore.matches("log12.txt", false));
        assertFalse(ignore.matches("Procfile", false));
    }

    @Test
    void removesMatchesFromTheApp(@TempDir Path app) throws Exception {
        TestApps.write(app, Map.of(".slugignore", "*.psd\n/docs/\n", "a.psd", "x", "src/b.psd", "x",
                "docs/x.md", "x", "src/docs/keep.md", "x", "Procfile", "web: x\n"));
        assertEquals(3, SlugIgnore.of(java.util.Optional.of(Files.readString(app.resolve(".slugignore")))).removeFrom(app));
        assertFalse(Files.exists(app.resolve("a.psd")));
        assertFalse(Files.exists(app.resolve("src/b.psd")));
        assertFalse(Files.exists(app.resolve("docs")));
        assertTrue(Files.exists(app.resolve("src/docs/keep.md")));
        assertTrue(Files.exists(app.resolve("Procfile")));
    }

    @Test
    void sizesAsHerokuPrintsThem() {
        assertEquals("Compiled slug size: 612M is too large (max is 500M).",
                SlugPacker.tooLarge(612L * 1024 * 1024 + 5000, 500L * 1024 * 1024));
        assertEquals("12.4M", SlugPacker.human(13_002_342));
        assertEquals("236K", SlugPacker.human(236 * 1024));
        assertEquals("1K", SlugPacker.human(10));
    }
}

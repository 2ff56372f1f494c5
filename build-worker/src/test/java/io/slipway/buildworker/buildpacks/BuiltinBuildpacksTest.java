package io.slipway.buildworker.buildpacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinBuildpacksTest {
    @Test
    void extractsEveryBuiltinAndFindsThemByUrnOrName(@TempDir Path dir) throws Exception {
        BuiltinBuildpacks builtins = BuiltinBuildpacks.extract(dir);
        assertEquals(List.of("nodejs", "java", "python", "static", "procfile"),
                builtins.all().stream().map(b -> b.dir().getFileName().toString()).toList());
        for (Buildpack bp : builtins.all()) {
            for (String script : List.of("detect", "compile", "release")) {
                assertTrue(Files.isExecutable(bp.dir().resolve("bin").resolve(script)), bp + " " + script);
            }
            assertTrue(Files.isRegularFile(bp.dir().resolve("export")), "mount point for the export file");
        }
        assertEquals(dir.resolve("nodejs"), builtins.named("urn:buildpack:heroku/nodejs").orElseThrow().dir());
        assertEquals(dir.resolve("java"), builtins.named("heroku/java").orElseThrow().dir());
        assertEquals(dir.resolve("java"), builtins.named("heroku/jvm").orElseThrow().dir());
        assertEquals(dir.resolve("python"), builtins.named("python").orElseThrow().dir());
        assertEquals(dir.resolve("static"), builtins.named("heroku-community/static").orElseThrow().dir());
        assertTrue(builtins.named("heroku/ruby").isEmpty());
        assertTrue(builtins.named("someone/nodejs").isEmpty(), "only Heroku's names map to built-ins");
        assertTrue(builtins.named("https://github.com/heroku/heroku-buildpack-nodejs").isEmpty());
    }

    @Test
    void redactsCredentialsInUrls() {
        assertEquals("https://github.com/x/y.git#main",
                BuildpackResolver.redact("https://user:token@github.com/x/y.git#main"));
        assertEquals("heroku/nodejs", BuildpackResolver.redact("heroku/nodejs"));
    }
}

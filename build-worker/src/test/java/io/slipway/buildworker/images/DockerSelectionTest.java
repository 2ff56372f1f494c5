package io.slipway.buildworker.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.run.BuildFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which sources are Dockerfile builds, and that the worker reads only files inside the source. */
class DockerSelectionTest {
    @TempDir Path source;
    @TempDir Path outside;

    @Test
    void dockerfileWithoutBuildpacksIsAnImageBuildEvenNextToPackageJson() throws Exception {
        Files.writeString(source.resolve("Dockerfile"), "FROM heroku-24\n");
        Files.writeString(source.resolve("package.json"), "{}");
        Files.writeString(source.resolve("Procfile"), "worker: node w.js\n");
        ImagePlan plan = DockerSelection.select(source, "heroku-24", false).orElseThrow();
        assertEquals("Dockerfile", plan.dockerfilePath());
        assertEquals(Map.of("worker", "node w.js"), plan.processTypes());
        assertTrue(DockerSelection.select(source, "heroku-24", true).isEmpty(), "a set buildpack wins");
    }

    @Test
    void theContainerStackNeedsADockerfile() throws Exception {
        Files.writeString(source.resolve("package.json"), "{}");
        var e = assertThrows(BuildFailedException.class, () -> DockerSelection.select(source, "container", false));
        assertEquals("No Dockerfile or heroku.yml found; the container stack builds from a Dockerfile.", e.getMessage());
        assertTrue(DockerSelection.select(source, "heroku-24", false).isEmpty(), "buildpack detection goes on");
    }

    @Test
    void herokuYmlPicksTheWebDockerfileAndSaysWhatItSkips() throws Exception {
        Files.createDirectories(source.resolve("web"));
        Files.writeString(source.resolve("web/Dockerfile"), "FROM heroku-24\n");
        Files.writeString(source.resolve("heroku.yml"), """
                build:
                  docker: {worker: worker/Dockerfile, web: web/Dockerfile}
                  config: {A: b}
                run: {web: ./server}
                """);
        ImagePlan plan = DockerSelection.select(source, "container", false).orElseThrow();
        assertEquals("web/Dockerfile", plan.dockerfilePath());
        assertEquals(Map.of("A", "b"), plan.buildArgs());
        assertEquals(Map.of("web", "./server"), plan.processTypes());
        assertEquals(1, plan.notes().size());
        assertTrue(plan.notes().get(0).startsWith("build.docker.worker (worker/Dockerfile) is not built"), plan.notes().get(0));
    }

    @Test
    void pathsOutOfTheSourceAndLinksAreRefused() throws Exception {
        Path secret = Files.writeString(outside.resolve("secret"), "FROM TOPSECRET\n");
        Files.createDirectories(outside.resolve("dir"));
        Files.writeString(outside.resolve("dir/Dockerfile"), "FROM TOPSECRET\n");
        Files.createSymbolicLink(source.resolve("linkdir"), outside.resolve("dir"));
        Files.createSymbolicLink(source.resolve("link"), secret);
        for (String path : List.of("../../../etc/passwd", "/etc/passwd", "a/../../x", "linkdir/Dockerfile", "link")) {
            Files.writeString(source.resolve("heroku.yml"), "build: {docker: {web: '" + path + "'}}\n");
            var e = assertThrows(BuildFailedException.class, () -> DockerSelection.select(source, "container", false), path);
            assertTrue(!e.getMessage().contains("TOPSECRET"), e.getMessage());
            assertTrue(e.getMessage().contains("inside the source") || e.getMessage().contains("symbolic link"), e.getMessage());
        }
        Files.delete(source.resolve("heroku.yml"));
        Files.createSymbolicLink(source.resolve("heroku.yml"), secret);
        var e = assertThrows(BuildFailedException.class, () -> DockerSelection.select(source, "container", false));
        assertEquals("heroku.yml is a symbolic link; it was not read", e.getMessage());
    }

    @Test
    void aHugeHerokuYmlIsRefused() throws Exception {
        Files.writeString(source.resolve("heroku.yml"), "build:\n  docker:\n    web: Dockerfile\n" + "#".repeat(10 << 20));
        var e = assertThrows(BuildFailedException.class, () -> DockerSelection.select(source, "container", false));
        assertTrue(e.getMessage().startsWith("heroku.yml is larger than"), e.getMessage());
    }
}

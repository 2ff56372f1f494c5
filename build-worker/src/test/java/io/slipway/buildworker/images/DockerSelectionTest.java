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
    void herokuYmlBuildsEachDistinctDockerfileOnceWithTheTypesThatRunInIt() throws Exception {
        Files.createDirectories(source.resolve("web"));
        Files.createDirectories(source.resolve("worker"));
        Files.writeString(source.resolve("web/Dockerfile"), "FROM heroku-24\n");
        Files.writeString(source.resolve("worker/Dockerfile"), "FROM heroku-24\nCMD [\"work\"]\n");
        Files.writeString(source.resolve("Procfile"), "release: ./from-procfile\n");
        Files.writeString(source.resolve("heroku.yml"), """
                setup: {addons: [{plan: heroku-postgresql}]}
                build:
                  docker: {worker: worker/Dockerfile, web: web/Dockerfile, clock: ./worker//Dockerfile, api: web/Dockerfile}
                  config: {A: b}
                run:
                  web: ./server
                  once: {command: [./once], image: worker}
                release: {image: clock, command: [./migrate.sh, --all]}
                """);
        ImagePlan plan = DockerSelection.select(source, "container", false).orElseThrow();
        assertEquals("web/Dockerfile", plan.dockerfilePath(), "web's Dockerfile is the primary image");
        assertEquals(Map.of("A", "b"), plan.buildArgs());
        assertEquals(Map.of("web", "./server", "once", "./once", "release", "./migrate.sh --all"), plan.processTypes(),
                "heroku.yml release: replaces the Procfile's");
        assertEquals(1, plan.others().size(), "worker/Dockerfile, named three ways, is built once; api shares web's");
        ImagePlan.Other worker = plan.others().get(0);
        assertEquals("worker/Dockerfile", worker.dockerfilePath());
        assertTrue(worker.dockerfile().contains("work"));
        assertEquals(List.of("worker", "clock", "once", "release"), worker.types());
        assertEquals(List.of("heroku.yml setup: is applied by heroku apps:create --manifest, not by a push."), plan.notes());
    }

    @Test
    void aMissingOtherDockerfileOrImageNameFailsTheBuild() throws Exception {
        Files.writeString(source.resolve("Dockerfile"), "FROM heroku-24\n");
        Files.writeString(source.resolve("heroku.yml"), "build: {docker: {web: Dockerfile, worker: nope/Dockerfile}}\n");
        var e = assertThrows(BuildFailedException.class, () -> DockerSelection.select(source, "container", false));
        assertEquals("heroku.yml: nope/Dockerfile (the Dockerfile of worker) is not in the source.", e.getMessage());
        Files.writeString(source.resolve("heroku.yml"), "build: {docker: {web: Dockerfile}}\nrelease: {image: worker, command: x}\n");
        e = assertThrows(BuildFailedException.class, () -> DockerSelection.select(source, "container", false));
        assertTrue(e.getMessage().contains("release.image must name an entry of build.docker"), e.getMessage());
        Files.writeString(source.resolve("heroku.yml"), "build: {docker: {web: Dockerfile}}\nrelease: {image: web}\n");
        e = assertThrows(BuildFailedException.class, () -> DockerSelection.select(source, "container", false));
        assertEquals("heroku.yml is invalid: release has no command", e.getMessage());
        StringBuilder many = new StringBuilder("build:\n  docker:\n");
        for (int i = 0; i <= DockerSelection.MAX_DOCKERFILES; i++) many.append("    t").append(i).append(": D").append(i).append('\n');
        Files.writeString(source.resolve("heroku.yml"), many.toString());
        e = assertThrows(BuildFailedException.class, () -> DockerSelection.select(source, "container", false));
        assertTrue(e.getMessage().contains("at most 8 can be built"), e.getMessage());
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

package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.support.FakeApiServer.QueuedBuild;
import io.slipway.buildworker.support.RuncAvailable;
import io.slipway.buildworker.support.TestApps;
import io.slipway.buildworker.support.WorkerFixture;
import io.slipway.shared.archive.ExtractionPolicy;
import io.slipway.shared.archive.SafeUntar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile build (real runc, the real worker as root) plants links where the worker reads back what a build
 * wrote: its detect output, release YAML and Procfile all point at a host file only root can read, shaped so
 * that the old worker printed it or turned it into process types. The secret must appear nowhere: not in the
 * build output, the result, the process types or the slug.
 */
class HostileBuildEndToEndTest {
    private static final String SECRET = "HOST-SECRET-7f3a9c";
    @TempDir static Path shared;
    @TempDir Path dir;
    private static WorkerFixture fixture;
    private static Path secretFile;

    @BeforeAll
    static void startWorker() throws IOException {
        RuncAvailable.assume();
        fixture = new WorkerFixture(shared, Map.of());
        // stands for the platform's internal token in its data dir: root-only, outside every build
        secretFile = Files.writeString(shared.resolve("internal-token"),
                "web: " + SECRET + "\ndefault_process_types:\n  web: " + SECRET + "\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterAll
    static void stopWorker() {
        if (fixture != null) fixture.close();
    }

    private Path buildpack(String name, String detect, String compile, String release) throws IOException {
        Path bp = TestApps.write(Files.createDirectories(dir.resolve(name)), Map.of(
                "bin/detect", "#!/bin/sh\n" + detect + "\n",
                "bin/compile", "#!/bin/sh\n" + compile + "\n",
                "bin/release", "#!/bin/sh\n" + release + "\n"));
        return bp;
    }

    private record Run(Map<String, Object> result, String output, Path slug) {
        String status() {
            return String.valueOf(result.get("status"));
        }
    }

    private Run build(Path buildpack, Path app) throws Exception {
        QueuedBuild queued = fixture.api.enqueue("hostile-" + buildpack.getFileName(), TestApps.tgz(app),
                List.of(buildpack.toString()), Map.of(), Map.of());
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(2));
        String output = fixture.api.output(queued.buildId());
        assertFalse(output.contains(SECRET), output);
        assertFalse(String.valueOf(result).contains(SECRET), String.valueOf(result));
        Path slug = fixture.api.blobFile(queued.slugKey());
        if (Files.exists(slug)) assertFalse(gunzipped(slug).contains(SECRET), "the slug holds the host file");
        return new Run(result, output, slug);
    }

    private Path app() throws IOException {
        return TestApps.write(Files.createDirectories(dir.resolve("app")), Map.of("README", "x\n"));
    }

    @Test
    void detectOutputLinkedToAHostFileIsNeverRead() throws Exception {
        String link = "rm -f /tmp/slipway/detect-0; ln -s " + secretFile + " /tmp/slipway/detect-0; echo Innocent";
        Run run = build(buildpack("detect-link", link, "true", "true"), app());
        assertEquals("failed", run.status(), run.toString());
        assertTrue(run.output().contains("the output of bin/detect is a symbolic link"),
                run.toString());
    }

    @Test
    void releaseYamlLinkedToAHostFileIsNeverRead() throws Exception {
        String release = "rm -f /tmp/slipway/release-0.yml; ln -s " + secretFile + " /tmp/slipway/release-0.yml";
        Run run = build(buildpack("release-link", "echo Rel", "true", release), app());
        assertEquals("failed", run.status(), run.toString());
        assertTrue(run.output().contains("the output of bin/release is a symbolic link"),
                run.toString());
    }

    @Test
    void releaseYamlWithAJavaTagFailsTheBuildWithoutInstantiatingAnything() throws Exception {
        // SnakeYAML's default constructor would build this object; the worker's loader refuses the tag
        String release = "printf -- 'default_process_types:\\n  web: !!java.lang.ProcessBuilder [[touch, "
                + dir.resolve("pwned") + "]]\\n'";
        Run run = build(buildpack("release-tag", "echo Tagged", "true", release), app());
        assertEquals("failed", run.status(), run.toString());
        assertTrue(run.output().contains("bin/release of buildpack " + dir.resolve("release-tag")
                + " printed invalid YAML: Global tag is not allowed: tag:yaml.org,2002:java.lang.ProcessBuilder"),
                run.toString());
        assertFalse(Files.exists(dir.resolve("pwned")));
    }

    @Test
    void aProcfileLinkedToAHostFileIsNeverRead() throws Exception {
        String compile = "ln -sf " + secretFile + " \"$1/Procfile\"";
        Run run = build(buildpack("procfile-link", "echo Proc", compile, "true"), app());
        assertEquals("failed", run.status(), run.toString());
        assertTrue(run.output().contains("Procfile is a symbolic link"), run.toString());
    }

    @Test
    void aFifoInTheResultsNeitherBlocksNorIsRead() throws Exception {
        String detect = "rm -f /tmp/slipway/detect-0; mkfifo /tmp/slipway/detect-0; echo Piped";
        Run run = build(buildpack("detect-fifo", detect, "true", "true"), app());
        assertEquals("failed", run.status(), run.toString());
        assertTrue(run.output().contains("the output of bin/detect is not a regular file"),
                run.toString());
    }

    @Test
    void linksInTheAppAreCarriedAsLinksNeverFollowed() throws Exception {
        // legitimate links (inside the app) and hostile ones (to the host file, to /, to ..) all build; the slug
        // keeps every one of them as a link and holds none of their targets' bytes
        Path app = TestApps.write(Files.createDirectories(dir.resolve("linked")), Map.of(
                "Procfile", "web: ./bin/start\n", "src/start", "#!/bin/sh\n", ".slugignore", "*.psd\n"));
        Files.createSymbolicLink(app.resolve("bin"), Path.of("src"));
        Files.createSymbolicLink(app.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(app.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(app.resolve("root"), Path.of("/"));
        String compile = "ln -s " + secretFile + " \"$1/token\"; ln -s " + secretFile + " \"$2/cached-token\"";
        Run run = build(buildpack("links", "echo Linked", compile, "true"), app);
        assertEquals("succeeded", run.status(), run.toString());
        assertEquals(Map.of("web", "./bin/start"), ((Map<?, ?>) run.result().get("slug")).get("process_types"));
        Path out = dir.resolve("unpacked");
        SafeUntar.extract(run.slug(), out, ExtractionPolicy.limitedTo(1 << 20));
        assertEquals(Path.of("src"), Files.readSymbolicLink(out.resolve("app/bin")));
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(out.resolve("app/passwd")));
        assertEquals(Path.of(".."), Files.readSymbolicLink(out.resolve("app/up")));
        assertEquals(Path.of("/"), Files.readSymbolicLink(out.resolve("app/root")));
        assertEquals(secretFile, Files.readSymbolicLink(out.resolve("app/token")));
    }

    private static String gunzipped(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}

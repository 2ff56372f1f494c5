package io.slipway.dynoagent.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.dynoagent.config.SandboxSettings;
import io.slipway.dynoagent.images.ImageBlobs;
import io.slipway.dynoagent.images.ImageRoots;
import io.slipway.dynoagent.images.ImageUser;
import io.slipway.dynoagent.lifecycle.PortProbe;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.testing.ScratchDirs;
import io.slipway.dynoagent.support.TestImages;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent runs what the platform's builder really writes: an image built by Buildah (the build-worker's
 * builder) from a Dockerfile whose later step deletes files of an earlier one (real whiteouts), pushed to an OCI
 * layout, its blobs served over HTTP, unpacked and run under runc.
 */
class BuildahImageTest {
    private static final String DOCKERFILE = "FROM scratch\n"
            + "COPY busybox /bin/busybox\n"
            + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"for a in sh id ls cat httpd; do /bin/busybox ln -s busybox "
            + "/bin/$a; done; mkdir -p /etc /data/sub /www; echo 'app:x:1000:1000::/home/app:/bin/sh' > /etc/passwd; "
            + "echo lower > /etc/lower.txt; echo a > /data/a; echo b > /data/sub/b; echo hi > /www/index.html\"]\n"
            + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"/bin/busybox rm -r /etc/lower.txt /data && "
            + "/bin/busybox mkdir /data && echo c > /data/c\"]\n"
            + "USER app\n"
            + "CMD [\"/bin/sh\", \"-c\", \"echo uid=$(id -u) data=$(ls /data); ls /etc; exec httpd -f -p $PORT -h /www\"]\n";

    // not @TempDir: JUnit deletes through a mount a failed close left (a slug, a volume) and fails the test
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();
    final Path tmp = scratch.create("slipway-buildah-image");

    @Test
    void anImageBuiltByBuildahRunsWithItsWhiteoutsApplied() throws Exception {
        Assumptions.assumeTrue(Drivers.sandboxProblem("runc") == null, "runc tests need root, runc, ip and nft");
        String busybox = TestImages.busyboxProblem();
        Assumptions.assumeTrue(busybox == null, busybox);
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/buildah")), "needs buildah (apt-get install buildah)");
        Path oci = build();
        Map<String, Object> index = Json.object(Json.parse(Files.readString(oci.resolve("index.json"))));
        String manifestDigest = (String) Json.object(Json.array(index.get("manifests")).get(0)).get("digest");
        Map<String, Object> manifest = Json.object(Json.parse(Files.readString(blob(oci, manifestDigest))));
        Map<String, Object> config = Json.object(Json.object(Json.parse(Files.readString(
                blob(oci, (String) Json.object(manifest.get("config")).get("digest"))))).get("config"));

        RuncDynoDriver driver = new RuncDynoDriver("runc", tmp.resolve("agent"), Path.of("/"),
                "test-" + UUID.randomUUID().toString().substring(0, 8), SandboxSettings.defaults());
        ImageRoots roots = new ImageRoots(tmp.resolve("agent/images/roots"),
                new ImageBlobs(tmp.resolve("agent/images/blobs"), HttpClient.newHttpClient(), Duration.ofSeconds(5)));
        List<RunningDyno> started = new ArrayList<>();
        try (TestImages images = new TestImages()) {
            List<ImageLayer> layers = new ArrayList<>();
            for (Object o : Json.array(manifest.get("layers"))) {
                Map<String, Object> l = Json.object(o);
                String digest = (String) l.get("digest");
                layers.add(images.blob(digest, Files.readAllBytes(blob(oci, digest)), (String) l.get("mediaType")));
            }
            ImageConfig imageConfig = new ImageConfig((String) config.get("User"), strings(config.get("Env")),
                    (String) config.get("WorkingDir"), null, strings(config.get("Cmd")));
            ImageRef image = new ImageRef(manifestDigest, null, layers, imageConfig);
            Path root = roots.rootFor(image);
            SandboxSettings s = SandboxSettings.defaults();
            ImageUser user = ImageUser.resolve(root, imageConfig.user(), s.uidFrom(), s.uidTo());
            List<String> lines = new CopyOnWriteArrayList<>();
            DynoSpec spec = new DynoSpec("b" + Long.toHexString(System.nanoTime()), "web.1", null, Map.of(), null,
                    Files.createTempDirectory(tmp, "work"), LocalPorts.freePort(), 256L << 20, 64, user.uid(), false,
                    lines::add, null, List.of(), new DynoSpec.ImageRun(root, user.uid(), user.gid(), user.home(),
                    imageConfig.env(), imageConfig.workingDir(), imageConfig.defaultCommand()));
            RunningDyno web = driver.start(spec);
            started.add(web);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!PortProbe.accepts("127.0.0.1", spec.port())) {
                assertNull(web.waitFor(Duration.ofMillis(100)), "the image dyno exited: " + lines);
                assertTrue(System.nanoTime() < deadline, "never reachable on $PORT: " + lines);
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + spec.port() + "/index.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("hi\n", response.body());
            assertTrue(lines.contains("uid=1000 data=c"), "the deleted entries are gone: " + lines);
            assertTrue(lines.contains("passwd") && !lines.contains("lower.txt"), lines.toString());
        } finally {
            for (RunningDyno d : started) d.cleanup();
            driver.close();
            roots.clearAll();
        }
    }

    /** Builds the Dockerfile with Buildah as the build-worker does (runc isolation, no network) into an OCI dir. */
    private Path build() throws Exception {
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.copy(TestImages.BUSYBOX, context.resolve("busybox"));
        Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
        List<String> storage = List.of("buildah", "--root", tmp.resolve("storage").toString(), "--runroot",
                tmp.resolve("run").toString(), "--storage-driver", "vfs");
        String tag = "imgtest-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> bud = new ArrayList<>(storage);
        bud.addAll(List.of("bud", "--isolation", "oci", "--network", "none", "--pull-never", "--layers", "-t", tag,
                context.toString()));
        run(bud);
        Path oci = tmp.resolve("oci");
        List<String> push = new ArrayList<>(storage);
        push.addAll(List.of("push", tag, "oci:" + oci + ":" + tag));
        run(push);
        return oci;
    }

    private void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "buildah did not finish: " + out);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    }

    private static Path blob(Path oci, String digest) {
        return oci.resolve("blobs/sha256").resolve(ImageLayer.hex(digest));
    }

    private static List<String> strings(Object v) {
        if (v == null) return null;
        List<String> out = new ArrayList<>();
        for (Object o : Json.array(v)) out.add(String.valueOf(o));
        return out;
    }
}

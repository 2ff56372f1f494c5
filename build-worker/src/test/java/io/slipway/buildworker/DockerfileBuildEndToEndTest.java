package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.support.BusyboxBaseImage;
import io.slipway.buildworker.support.FakeApiServer;
import io.slipway.buildworker.support.FakeApiServer.QueuedBuild;
import io.slipway.buildworker.support.TestApps;
import io.slipway.buildworker.support.WorkerFixture;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dockerfile deploys through a real worker: real Buildah (runc isolation, the build sandbox's network namespace,
 * the worker's own storage), a base image served by the fake api-server from its object store and verified by
 * digest, the built image pushed as OCI, its missing blobs uploaded and the result posted. Skipped without
 * Buildah, runc as root or a static busybox.
 */
class DockerfileBuildEndToEndTest {
    private static final Duration BUILD = Duration.ofMinutes(4);
    @TempDir static Path shared;
    @TempDir Path app;
    private static WorkerFixture fixture;

    @BeforeAll
    static void startWorker() throws Exception {
        BusyboxBaseImage.assumeAvailable();
        // capital letters in the worker's directory: Buildah refuses to name a pulled layout after such a path
        fixture = new WorkerFixture(Files.createDirectories(shared.resolve("Worker-Data")), Map.of());
        BusyboxBaseImage.register(fixture.api, "testbase", Files.createDirectories(shared.resolve("base")));
    }

    @AfterAll
    static void stopWorker() {
        if (fixture != null) fixture.close();
    }

    private static Map<String, Object> succeeded(QueuedBuild queued) throws Exception {
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), BUILD);
        assertEquals("succeeded", result.get("status"), () -> result + "\n" + fixture.api.output(queued.buildId()));
        return result;
    }

    private static String failure(QueuedBuild queued) throws Exception {
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), BUILD);
        assertEquals("failed", result.get("status"), () -> result + "\n" + fixture.api.output(queued.buildId()));
        return (String) result.get("message");
    }

    private static QueuedBuild enqueue(String appName, byte[] source, Map<String, Object> overrides) throws Exception {
        return fixture.api.enqueue(appName, source, List.of(), Map.of(), overrides);
    }

    @Test
    void multiStageDockerfileYieldsANonRootImageWithItsConfig() throws Exception {
        TestApps.write(app, Map.of("app.txt", "hello from the app\n", "package.json", "{}", "Dockerfile", """
                # a Dockerfile wins over package.json when no buildpack is set
                ARG BASE=testbase
                FROM --platform=linux/amd64 ${BASE} AS build
                RUN mkdir /out && echo built-in-stage > /out/stage.txt
                FROM testbase
                COPY --from=build /out /app
                COPY app.txt /app/app.txt
                USER 1000
                WORKDIR /app
                ENV GREETING=hello
                CMD ["cat", "app.txt"]
                """));
        TestApps.GitSource source = TestApps.gitArchive(app);
        QueuedBuild queued = enqueue("docker-multi", source.tgz(), Map.of());
        Map<String, Object> result = succeeded(queued);
        Map<String, Object> image = Json.object(result.get("image"));
        ImageRef ref = ImageRef.parse(image);
        assertEquals("1000", ref.config().user());
        assertEquals("/app", ref.config().workingDir());
        assertEquals(List.of("cat", "app.txt"), ref.config().cmd());
        assertTrue(ref.config().env().contains("GREETING=hello"), ref.config().env()::toString);
        assertEquals(Map.of(), image.get("process_types"));
        assertEquals(source.commit(), image.get("commit"));
        String output = fixture.api.awaitOutput(queued.buildId(), "Released v", Duration.ofSeconds(30));
        assertTrue(output.contains("-----> Building Docker image from Dockerfile"), output);
        assertTrue(output.contains("STEP"), output);
        // every blob is in the store, the base layer in the base namespace only (never uploaded again)
        Path blobs = fixture.api.blobFile("");
        for (ImageLayer layer : ref.layers()) {
            Path appBlob = blobs.resolve(FakeApiServer.appBlobKey(queued.appId(), layer.digest()));
            Path baseBlob = blobs.resolve(FakeApiServer.baseBlobKey(layer.digest()));
            assertTrue(Files.exists(appBlob) != Files.exists(baseBlob), layer.digest() + " stored exactly once");
            Path stored = Files.exists(appBlob) ? appBlob : baseBlob;
            assertEquals(layer.size(), Files.size(stored));
        }
        assertTrue(Files.exists(blobs.resolve(FakeApiServer.baseBlobKey(ref.layers().get(0).digest()))));
        Path config = blobs.resolve(FakeApiServer.appBlobKey(queued.appId(), ref.configDigest()));
        Map<String, Object> ociConfig = Json.parseObject(Files.readString(config));
        assertEquals("1000", Json.object(ociConfig.get("config")).get("User"));
        // the app's top layers hold what COPY put there
        Path top = blobs.resolve(FakeApiServer.appBlobKey(queued.appId(), ref.layers().get(ref.layers().size() - 1).digest()));
        String listing = String.join("\n", TestApps.list(top)) + "\n"
                + String.join("\n", TestApps.list(blobs.resolve(FakeApiServer.appBlobKey(queued.appId(),
                        ref.layers().get(1).digest()))));
        assertTrue(listing.contains("app/app.txt") && listing.contains("app/stage.txt"), listing);
    }

    @Test
    void aFailingRunFailsTheBuildWithItsOutput() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", """
                FROM testbase
                RUN echo "about to fail: marker-7f3a" && false
                USER 1000
                """));
        QueuedBuild queued = enqueue("docker-fail", TestApps.tgz(app), Map.of());
        assertEquals("Push rejected, failed to build the Docker image from Dockerfile.", failure(queued));
        String output = fixture.api.output(queued.buildId());
        assertTrue(output.contains("about to fail: marker-7f3a"), output);
        assertFalse(Files.exists(fixture.api.blobFile("images/apps/" + queued.appId())), "nothing uploaded");
    }

    @Test
    void aMissingBaseImageFailsWithAClearMessage() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", "FROM heroku-99\nUSER 1000\n"));
        QueuedBuild queued = enqueue("docker-missing", TestApps.tgz(app), Map.of("stack", "container"));
        assertEquals("Base image heroku-99:latest is not available: import it with slipway images:import or "
                + "configure a registry mirror.", failure(queued));
        assertTrue(fixture.api.baseImageRequests().contains("heroku-99:latest"));
    }

    @Test
    void aBaseLayerThatDoesNotMatchItsDigestIsNotUsed() throws Exception {
        byte[] real = "the real layer".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(real));
        fixture.api.putBlob(FakeApiServer.baseBlobKey(digest), "a swapped layer".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        fixture.api.addBaseImage("tampered:latest", new ImageRef("sha256:" + "1".repeat(64), null,
                List.of(new ImageLayer(digest, real.length, ImageLayer.GZIP_LAYER, null)),
                new ImageConfig("1000", List.of(), null, null, List.of("sh"))));
        TestApps.write(app, Map.of("Dockerfile", "FROM tampered\nUSER 1000\n"));
        QueuedBuild queued = enqueue("docker-tampered", TestApps.tgz(app), Map.of());
        String message = failure(queued);
        assertTrue(message.startsWith("Could not load base image tampered:latest: base layer " + digest
                + " from object storage does not match its digest and size"), message);
    }

    @Test
    void aRegistryImageIsRefusedWithoutAskingAnyone() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", "FROM docker.io/library/node:20\nUSER 1000\n"));
        QueuedBuild queued = enqueue("docker-registry", TestApps.tgz(app), Map.of());
        String message = failure(queued);
        assertTrue(message.startsWith("FROM docker.io/library/node:20: this platform pulls no images from registries"), message);
    }

    @Test
    void aRootImageIsRefusedBeforeAnythingIsUploaded() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", "FROM testbase\nCMD [\"sh\"]\n"));
        QueuedBuild queued = enqueue("docker-root", TestApps.tgz(app), Map.of());
        assertEquals(ImageConfig.ROOT_REFUSED, failure(queued));
        assertFalse(Files.exists(fixture.api.blobFile("images/apps/" + queued.appId())), "nothing uploaded");
    }

    @Test
    void herokuYmlGivesBuildArgumentsProcessTypesAndOneImagePerDistinctDockerfile() throws Exception {
        TestApps.write(app, Map.of("heroku.yml", """
                setup:
                  addons:
                    - plan: heroku-postgresql
                build:
                  docker:
                    web: docker/Dockerfile.web
                    worker: docker/Dockerfile.web
                    clock: docker/Dockerfile.clock
                  config:
                    GREETING: from-build-config
                run:
                  web: cat /app/greeting.txt
                  worker:
                    command:
                      - sh
                      - -c
                      - echo working
                release:
                  image: clock
                  command: [./migrate.sh]
                """, "docker/Dockerfile.web", """
                FROM testbase
                ARG GREETING=unset
                RUN mkdir /app && echo "$GREETING" > /app/greeting.txt && echo "greeting is $GREETING"
                USER 1000:1000
                """, "docker/Dockerfile.clock", """
                FROM testbase
                ARG GREETING=unset
                RUN echo "clock sees $GREETING" && mkdir /clock
                USER 1001
                WORKDIR /clock
                CMD ["sh", "-c", "echo tick"]
                """));
        QueuedBuild queued = enqueue("docker-yml", TestApps.tgz(app), Map.of("stack", "container"));
        Map<String, Object> image = Json.object(succeeded(queued).get("image"));
        assertEquals(Map.of("web", "cat /app/greeting.txt", "worker", "sh -c 'echo working'", "release", "./migrate.sh"),
                image.get("process_types"));
        // web and worker share web's image (the primary); clock and the release phase run in the clock image
        Map<String, Object> others = Json.object(image.get("process_images"));
        assertEquals(java.util.Set.of("clock", "release"), others.keySet());
        Map<String, Object> clock = Json.object(others.get("clock"));
        assertEquals(clock, others.get("release"), "one image per distinct Dockerfile");
        assertFalse(clock.get("manifest_digest").equals(image.get("manifest_digest")));
        Map<String, Object> clockConfig = Json.object(clock.get("config"));
        assertEquals("1001", clockConfig.get("user"));
        assertEquals("/clock", clockConfig.get("working_dir"));
        assertEquals(List.of("sh", "-c", "echo tick"), clockConfig.get("cmd"));
        for (Object layer : Json.array(clock.get("layers"))) {
            String digest = String.valueOf(Json.object(layer).get("digest"));
            assertTrue(Files.exists(fixture.api.blobFile("images/apps/" + queued.appId() + "/blobs/sha256/" + digest.substring(7)))
                    || Files.exists(fixture.api.blobFile("images/base/blobs/sha256/" + digest.substring(7))), "uploaded: " + digest);
        }
        String output = fixture.api.awaitOutput(queued.buildId(), "Released v", Duration.ofSeconds(30));
        assertTrue(output.contains("greeting is from-build-config"), output);
        assertTrue(output.contains("clock sees from-build-config"), "build args reach every Dockerfile: " + output);
        assertTrue(output.contains("-----> Building Docker image from docker/Dockerfile.web\n"), output);
        assertTrue(output.contains("-----> Building Docker image from docker/Dockerfile.clock (clock, release)"), output);
        assertTrue(output.contains("setup: is applied by heroku apps:create --manifest, not by a push"), output);
        assertTrue(output.contains("Declared types -> web, worker"), output);
    }

    @Test
    void aSecondBuildReusesTheUnchangedLayers() throws Exception {
        String dockerfile = """
                FROM testbase
                RUN echo installing dependencies && mkdir /deps && echo deps > /deps/list
                COPY . /app
                USER 1000
                CMD ["cat", "/app/app.txt"]
                """;
        TestApps.write(app, Map.of("Dockerfile", dockerfile, "app.txt", "version 1\n"));
        long start = System.nanoTime();
        QueuedBuild first = enqueue("docker-cache", TestApps.tgz(app), Map.of());
        ImageRef one = ImageRef.parse(succeeded(first).get("image"));
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        TestApps.write(app, Map.of("app.txt", "version 2\n"));
        start = System.nanoTime();
        QueuedBuild second = enqueue("docker-cache", TestApps.tgz(app), Map.of());
        ImageRef two = ImageRef.parse(succeeded(second).get("image"));
        long secondMs = (System.nanoTime() - start) / 1_000_000;
        String firstOutput = fixture.api.output(first.buildId());
        String output = fixture.api.awaitOutput(second.buildId(), "Released v", Duration.ofSeconds(30));
        assertFalse(firstOutput.contains("Using cache"), firstOutput);
        int run = output.indexOf("STEP 2/5: RUN echo installing dependencies");
        assertTrue(run >= 0 && output.indexOf("--> Using cache", run) > run, output);
        assertFalse(output.contains("       installing dependencies\n"), "the cached RUN step did not run again");
        assertEquals(one.layers().subList(0, 2), two.layers().subList(0, 2), "base and RUN layers are the same blobs");
        assertTrue(!one.layers().get(2).equals(two.layers().get(2)), "the app layer changed");
        assertTrue(output.contains("(3 blobs uploaded"), output); // the app layer, config and manifest only
        assertTrue(fixture.api.output(first.buildId()).contains("(4 blobs uploaded"), firstOutput); // + the RUN layer
        System.out.println("[benchmark] Dockerfile build: first " + firstMs + " ms, second (app code changed) "
                + secondMs + " ms");
    }

    @Test
    void runStepsHaveTheSandboxNetworkWhichDoesNotReachTheHost() throws Exception {
        java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer host = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("0.0.0.0", 0), 10);
        host.createContext("/", ex -> {
            hits.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        host.start();
        try {
            int port = host.getAddress().getPort();
            TestApps.write(app, Map.of("Dockerfile", "FROM testbase\n"
                    + "RUN ls /sys/class/net; gw=$(ip route | grep default | cut -d' ' -f3); echo \"gateway $gw\"; "
                    + "if wget -q -T 3 -O- http://$gw:" + port + "/; then echo REACHED-THE-HOST; "
                    + "else echo host-not-reachable; fi\nUSER 1000\n"));
            QueuedBuild queued = enqueue("docker-net", TestApps.tgz(app), Map.of());
            succeeded(queued);
            String output = fixture.api.awaitOutput(queued.buildId(), "Released v", Duration.ofSeconds(30));
            assertTrue(output.contains("       eth0\n"), output); // the sandbox's interface: not --network none
            assertTrue(output.contains("       gateway 10."), output);
            assertTrue(output.contains("       host-not-reachable\n"), output);
            assertEquals(0, hits.get(), "the host's listener was never reached");
        } finally {
            host.stop(0);
        }
    }

    @Test
    void theContextsSymlinksNeverReachOutsideIt() throws Exception {
        Path secret = Files.writeString(shared.resolve("secret-" + UUID.randomUUID()), "TOPSECRET-" + UUID.randomUUID());
        String marker = Files.readString(secret);
        TestApps.write(app, Map.of("Dockerfile", """
                FROM testbase
                COPY . /all
                RUN cat /all/leak || echo "no leak through the link"
                USER 1000
                """));
        Files.createSymbolicLink(app.resolve("leak"), secret);
        Files.createSymbolicLink(app.resolve("rel"), Path.of("../../../../../../../../" + secret));
        QueuedBuild copied = enqueue("docker-links", TestApps.tgz(app), Map.of());
        succeeded(copied);
        String output = fixture.api.awaitOutput(copied.buildId(), "Released v", Duration.ofSeconds(30));
        assertTrue(output.contains("no leak through the link"), output);
        assertFalse(output.contains(marker), output);

        Files.writeString(app.resolve("Dockerfile"), "FROM testbase\nCOPY rel /x\nRUN cat /x\nUSER 1000\n");
        QueuedBuild direct = enqueue("docker-links", TestApps.tgz(app), Map.of());
        String message = failure(direct);
        assertNotNull(message);
        assertFalse(fixture.api.output(direct.buildId()).contains(marker), fixture.api.output(direct.buildId()));

        Files.delete(app.resolve("Dockerfile"));
        Files.createSymbolicLink(app.resolve("Dockerfile"), secret);
        QueuedBuild linked = enqueue("docker-links", TestApps.tgz(app), Map.of("stack", "container"));
        assertEquals("Dockerfile is a symbolic link; it was not read", failure(linked));
        assertFalse(fixture.api.output(linked.buildId()).contains(marker));
    }
}

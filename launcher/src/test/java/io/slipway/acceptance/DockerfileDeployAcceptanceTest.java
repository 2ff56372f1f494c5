package io.slipway.acceptance;

import static io.slipway.acceptance.TestHost.onPath;
import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dockerfile deploys end to end (issue 11): real {@code git push} to a real platform, Buildah in the build-worker,
 * the image in s3proxy, runc dynos of the image's root, the router in front, the stock heroku CLI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerfileDeployAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Duration DEPLOY = Duration.ofSeconds(300);
    private Platform platform;
    private HerokuCli cli;
    private RouterClient router;
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final String app = "img-" + suffix;
    private Path repo;
    private Path ymlRepo;
    private Path dataDir;

    @BeforeAll
    void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "builds and dynos run in runc containers, which need root");
        assumeTrue(onPath("runc") && onPath("buildah") && onPath("mmdebstrap"), "needs runc, buildah and mmdebstrap");
        dataDir = scratch.create("slipway-dockerfile").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        cli = HerokuCli.asAdminOf(platform);
        router = new RouterClient(platform.routerPort());
        platform.baseImages().done().get(30, TimeUnit.MINUTES);
        repo = newRepo(app, DockerfileApps.multiStage("image-one"));
    }

    @AfterAll
    void stop() {
        try {
            if (platform != null) platform.close();
        } finally {
            MountsUnder.unmount(dataDir);
        }
    }

    @Test
    @Order(10)
    void aMultiStageDockerfileAppIsBuiltAndServedThroughTheRouter() throws Exception {
        HerokuCli.Result push = push(repo);
        assertTrue(push.output().contains("Building Docker image"), push.output());
        String body = router.awaitBody(app, "image-one", DEPLOY);
        assertTrue(body.contains("image-one"), body);
        assertTrue(router.get(app, "/stage.txt").body().contains("made-in-build-stage"), "the build stage's output was copied");
        HerokuCli.Result ps = awaitCli(r -> r.stdout().contains("web.1: up"), "ps", "-a", app);
        assertTrue(ps.stdout().contains("=== web"), ps.output());
    }

    @Test
    @Order(20)
    void aSecondPushWithOnlyAppCodeChangedReusesTheCachedLayers() throws Exception {
        write(repo, Map.of("www/index.html", "<p>image-two</p>\n"));
        TestHost.commit(repo, "only app code");
        HerokuCli.Result push = push(repo);
        // Buildah's --layers cache: the RUN steps before the changed COPY are not run again
        long cached = push.output().lines().filter(l -> l.contains("Using cache")).count();
        assertTrue(cached >= 2, "both RUN steps (build stage and final stage) come from the cache: " + push.output());
        router.awaitBody(app, "image-two", DEPLOY);
    }

    @Test
    @Order(30)
    void aFailingDockerfileLeavesThePreviousReleaseServing() throws Exception {
        HerokuCli.Result push = pushBroken(DockerfileApps.failing(), "failing RUN");
        assertTrue(push.output().contains("about to fail on purpose"), "the build's output is in the push: " + push.output());
        assertEquals("image-two", served());
    }

    @Test
    @Order(31)
    void anImageRunningAsRootIsRefusedAndThePreviousReleaseKeepsServing() throws Exception {
        HerokuCli.Result push = pushBroken(DockerfileApps.root(), "runs as root");
        assertTrue(push.output().contains(ImageConfig.ROOT_REFUSED), push.output());
        assertEquals("image-two", served());
    }

    @Test
    @Order(32)
    void aMissingBaseImageIsAClearErrorAndThePreviousReleaseKeepsServing() throws Exception {
        HerokuCli.Result push = pushBroken(DockerfileApps.missingBase(), "missing base");
        assertTrue(push.output().contains("Base image heroku-99:latest is not available"), push.output());
        assertEquals("image-two", served());
    }

    @Test
    @Order(40)
    void heroku_run_inAnImageDynoRunsAsTheImagesUser() throws Exception {
        HerokuCli.Result id = cli.run(null, "", 180, "run", "--no-tty", "-x", "-a", app, "--", "bash -c 'id -u; cat /app/www/index.html'").ok();
        assertTrue(id.stdout().lines().anyMatch("1000"::equals), id.output());
        assertTrue(id.stdout().contains("image-two"), id.output());
    }

    @Test
    @Order(50)
    void aHerokuYmlAppWithBuildArgsAWorkerImageOfItsOwnAndAReleasePhase() throws Exception {
        String yml = "yml-" + suffix;
        ymlRepo = newRepo(yml, DockerfileApps.herokuYml("hello-arg"));
        cli.run("stack:set", "container", "-a", yml).ok();
        HerokuCli.Result push = push(ymlRepo);
        assertTrue(push.output().contains("Building Docker image from Dockerfile"), push.output());
        assertTrue(push.output().contains("Building Docker image from worker/Dockerfile (worker, release)"), push.output());
        assertTrue(push.output().contains("Running release command..."), push.output());
        // the release phase ran in the worker image: its working directory, user and files
        assertTrue(push.output().contains("release-phase-ran in /work as 1001 greeting=hello-arg"), push.output());
        router.awaitBody(yml, "greeting=hello-arg", DEPLOY);
        cli.run("ps:scale", "worker=1", "-a", yml).ok();
        HerokuCli.Result logs = awaitCli(r -> r.stdout().contains("worker-alive greeting=hello-arg in /work as 1001"),
                "logs", "-n", "200", "-a", yml);
        // web's image has no /work and runs as 1000: the worker ran its own image's CMD, user and working directory
        assertTrue(logs.stdout().contains("app[worker.1]: worker-alive"), logs.output());
        // heroku run uses web's image, unless --type names a type with an image of its own (as on Heroku)
        HerokuCli.Result run = cli.run(null, "", 180, "run", "--no-tty", "-x", "--type", "worker", "-a", yml, "--",
                "sh -c 'pwd; id -u; cat README'").ok();
        assertTrue(run.stdout().contains("/work\n1001\nthe worker image's own files"), run.output());
    }

    @Test
    @Order(51)
    void aFailingHerokuYmlReleaseCommandLeavesThePreviousReleaseServing() throws Exception {
        String yml = "yml-" + suffix;
        Map<String, String> files = new java.util.LinkedHashMap<>(DockerfileApps.herokuYml("second-arg"));
        files.put("worker/fail-release", "the release command fails while this file is in the worker image\n");
        write(ymlRepo, files);
        TestHost.commit(ymlRepo, "a release command that fails");
        HerokuCli.Result push = cli.git(ymlRepo, "push", "heroku", "main");
        assertNotEquals(0, push.exitCode(), push.output());
        assertTrue(push.output().contains("release-phase-ran in /work as 1001 greeting=second-arg"), push.output());
        assertTrue(push.output().contains("Waiting for release.... failed."), push.output());
        String body = router.awaitOk(yml, DEPLOY);
        assertTrue(body.contains("greeting=hello-arg"), "the previous release keeps serving: " + body);
    }

    @Test
    @Order(60)
    void rollbackFromAnImageReleaseToABuildpackReleaseAndBack() throws Exception {
        assumeTrue(onPath("node"), "the buildpack release uses the stack's Node.js");
        String mixed = "mix-" + suffix;
        Path dir = newRepo(mixed, RuntimeApps.node("buildpack-one"));
        push(dir);
        router.awaitBody(mixed, "buildpack-one", DEPLOY);
        for (String f : RuntimeApps.node("buildpack-one").keySet()) Files.delete(dir.resolve(f));
        write(dir, DockerfileApps.multiStage("image-of-mix"));
        TestHost.commit(dir, "now a Dockerfile app");
        push(dir);
        router.awaitBody(mixed, "image-of-mix", DEPLOY);
        int imageRelease = currentVersion(mixed);

        HerokuCli.Result back = cli.run("rollback", "-a", mixed).ok();
        assertTrue(back.output().contains("done, v"), back.output());
        router.awaitBody(mixed, "buildpack-one", DEPLOY);
        HerokuCli.Result forward = cli.run("rollback", "v" + imageRelease, "-a", mixed).ok();
        assertTrue(forward.output().contains("done, v"), forward.output());
        router.awaitBody(mixed, "image-of-mix", DEPLOY);
        assertNotEquals(imageRelease, currentVersion(mixed), "a rollback is a new release");
    }

    /** Pushes a broken app over the image app's repository on a branch of its own history; the push must fail. */
    private HerokuCli.Result pushBroken(Map<String, String> files, String what) throws Exception {
        TestHost.git(repo, "checkout", "-q", "-B", "broken-" + what.replace(' ', '-'), "main");
        write(repo, files);
        TestHost.commit(repo, what);
        HerokuCli.Result push = cli.git(repo, "push", "-f", "heroku", "HEAD:main");
        TestHost.git(repo, "checkout", "-q", "-f", "main");
        TestHost.git(repo, "clean", "-q", "-fdx");
        assertNotEquals(0, push.exitCode(), "a " + what + " Dockerfile must fail the push: " + push.output());
        // the next test's push is a fast-forward from main again: put the platform's main back
        HerokuCli.Result restore = cli.git(repo, "push", "-f", "heroku", "main");
        assertEquals(0, restore.exitCode(), restore.output());
        return push;
    }

    private String served() throws Exception {
        String body = router.awaitOk(app, DEPLOY);
        return body.contains("image-two") ? "image-two" : body;
    }

    private int currentVersion(String name) throws Exception {
        HerokuCli.Result r = cli.run("releases", "--json", "-a", name).ok();
        int max = 0;
        for (Object o : Json.array(Json.parse(r.stdout()))) {
            max = Math.max(max, ((Number) Json.object(o).get("version")).intValue());
        }
        return max;
    }

    private HerokuCli.Result push(Path dir) throws Exception {
        HerokuCli.Result push = cli.git(dir, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        return push;
    }

    private Path newRepo(String name, Map<String, String> files) throws Exception {
        Path dir = scratch.create("img-repo-" + name);
        write(dir, files);
        TestHost.git(dir, "init", "-q", "-b", "main", ".");
        TestHost.commit(dir, "first");
        cli.run(dir, null, 120, "apps:create", name).ok();
        return dir;
    }

    private static void write(Path dir, Map<String, String> files) throws IOException {
        for (var f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
    }

    private HerokuCli.Result awaitCli(Predicate<HerokuCli.Result> ok, String... args) throws Exception {
        long deadline = System.nanoTime() + DEPLOY.toNanos();
        HerokuCli.Result r = cli.run(args);
        while (!(r.exitCode() == 0 && ok.test(r)) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            r = cli.run(args);
        }
        assertTrue(r.exitCode() == 0 && ok.test(r), "heroku " + String.join(" ", args) + ": " + r.output());
        return r;
    }
}

package io.slipway.acceptance;

import static io.slipway.acceptance.TestHost.assumeRuncAndNode;
import static io.slipway.acceptance.TestHost.write;
import static io.slipway.acceptance.TestHost.commit;
import static io.slipway.acceptance.TestHost.git;
import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Heroku's release phase end to end on the real stack of {@code slipway up}, with the stock CLI and git: a
 * Procfile's {@code release:} command runs in its own runc dyno with the new slug and the new release's config
 * vars, after the build and before the release goes live; its output shows in {@code git push}. When it exits
 * non-zero the push fails, the release is {@code release command failed} in {@code heroku releases}, and the
 * previous release keeps serving through the router.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleasePhaseAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Duration DEPLOY = Duration.ofSeconds(120);
    private Platform platform;
    private HerokuCli cli;
    private RouterClient router;

    @BeforeAll
    void start() throws Exception {
        assumeRuncAndNode();
        Path dataDir = scratch.create("slipway-release-phase").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        cli = HerokuCli.asAdminOf(platform);
        router = new RouterClient(platform.routerPort());
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void theReleasePhaseRunsBeforeTheReleaseGoesLiveAndAFailedOneLeavesThePreviousReleaseServing() throws Exception {
        String app = "rp-" + UUID.randomUUID().toString().substring(0, 8);
        String marker = "rp-marker-" + UUID.randomUUID().toString().substring(0, 8);
        Path repo = scratch.create("release-phase-repo");
        write(repo, RuntimeApps.node("first"));
        git(repo, "init", "-q", "-b", "main", ".");
        commit(repo, "first");
        cli.run(repo, null, 120, "apps:create", app).ok();
        cli.run("config:set", "RP_GREETING=" + marker, "-a", app).ok();

        // a release phase that succeeds: its output (with the new release's config) is in the push, then it serves
        Map<String, String> second = new HashMap<>(RuntimeApps.node("second"));
        second.put("Procfile", "web: node server.js\nrelease: node release.js\n");
        second.put("release.js", "console.log('release phase says ' + process.env.RP_GREETING + ' in ' + process.env.DYNO);\n");
        write(repo, second);
        commit(repo, "second");
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        assertTrue(push.output().contains("Running release command..."), push.output());
        assertTrue(push.output().matches("(?s).*release phase says " + marker + " in release\\.\\d+.*"), push.output());
        assertTrue(push.output().contains("Waiting for release.... done."), push.output());
        assertTrue(router.awaitBody(app, "second web.1", DEPLOY).startsWith("second web.1"));
        HerokuCli.Result ps = cli.run("ps", "-a", app).ok();
        assertTrue(!ps.stdout().contains("=== release"), "the release phase is not a formation type: " + ps.stdout());
        HerokuCli.Result logs = cli.run("logs", "-n", "500", "-a", app).ok();
        assertTrue(logs.stdout().matches("(?s).*app\\[release\\.\\d+]: release phase says " + marker + ".*"), logs.stdout());

        // a release phase that fails: the push fails, the release never goes live, the previous one keeps serving
        Map<String, String> third = new HashMap<>(RuntimeApps.node("third"));
        third.put("Procfile", "web: node server.js\nrelease: node release.js\n");
        third.put("release.js", "console.log('migration failed on purpose'); process.exit(1);\n");
        write(repo, third);
        commit(repo, "third");
        HerokuCli.Result failed = cli.git(repo, "push", "heroku", "main");
        assertNotEquals(0, failed.exitCode(), failed.output());
        assertTrue(failed.output().contains("migration failed on purpose"), failed.output());
        assertTrue(failed.output().contains("Waiting for release.... failed."), failed.output());
        assertTrue(failed.output().contains("Release command failed"), failed.output());
        assertTrue(failed.output().contains("pre-receive hook declined"), failed.output());

        HerokuCli.Result releases = cli.run("releases", "-a", app).ok();
        assertTrue(releases.stdout().contains("release command failed"), releases.stdout());
        HerokuCli.Result output = cli.run("releases:output", "-a", app).ok();
        assertTrue(output.stdout().contains("migration failed on purpose"), output.output());
        // the previous release still serves: every answer, on the router, comes from the second code
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = router.get(app, "/");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().startsWith("second web.1"), r.body());
        }
    }
}

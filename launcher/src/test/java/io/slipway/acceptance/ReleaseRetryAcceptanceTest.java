package io.slipway.acceptance;

import static io.slipway.acceptance.TestHost.assumeRuncAndNode;
import static io.slipway.acceptance.TestHost.commit;
import static io.slipway.acceptance.TestHost.git;
import static io.slipway.acceptance.TestHost.write;
import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
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
 * {@code heroku releases:retry} with the stock CLI on the real stack: a push whose release phase fails leaves the
 * release failed; the retry copies it into a new release, runs its release command again (its output streams into
 * the CLI), and that release goes live. The release command fails deterministically on one dyno only: it exits 1
 * when {@code $DYNO} is the one named in the config var {@code FAIL_ON} ({@code release.3}, the push's release),
 * so the retry ({@code release.4}, same config) passes. On an app without a release phase the CLI refuses with its
 * own message, as on Heroku. The release phase is listed in the formation as {@code release}, cannot be scaled
 * or resized (while {@code ps:type SIZE} of every type still works), and never becomes a running formation dyno.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseRetryAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Duration DEPLOY = Duration.ofSeconds(120);
    private Platform platform;
    private HerokuCli cli;
    private RouterClient router;

    @BeforeAll
    void start() throws Exception {
        assumeRuncAndNode();
        Path dataDir = scratch.create("slipway-release-retry").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        cli = HerokuCli.asAdminOf(platform);
        router = new RouterClient(platform.routerPort());
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void aFailedReleasePhaseIsRetriedWithTheStockCliAndTheRetryGoesLive() throws Exception {
        String app = "rr-" + UUID.randomUUID().toString().substring(0, 8);
        Path repo = scratch.create("release-retry-repo");
        Map<String, String> files = new HashMap<>(RuntimeApps.node("retried"));
        files.put("Procfile", "web: node server.js\nrelease: node release.js\n");
        files.put("release.js", """
                console.log('migrating in ' + process.env.DYNO);
                if (process.env.DYNO === process.env.FAIL_ON) {
                  console.log('database busy: migration failed');
                  process.exit(1);
                }
                console.log('migration done in ' + process.env.DYNO);
                """);
        write(repo, files);
        git(repo, "init", "-q", "-b", "main", ".");
        commit(repo, "first");
        cli.run(repo, null, 120, "apps:create", app).ok();

        // no release phase yet (v1 has no code): the CLI's own refusal
        HerokuCli.Result refused = cli.run("releases:retry", "-a", app);
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("App must have a release-phase command to use this command."),
                refused.output());

        cli.run("config:set", "FAIL_ON=release.3", "-a", app).ok(); // v2: no code, so no release phase runs
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertNotEquals(0, push.exitCode(), push.output());
        assertTrue(push.output().contains("migrating in release.3"), push.output());
        assertTrue(push.output().contains("database busy: migration failed"), push.output());
        assertTrue(cli.run("releases", "-a", app).ok().stdout().contains("release command failed"));

        // the formation lists the release phase (quantity 0), as Heroku does; it cannot be scaled
        assertEquals("release=0:Basic", cli.run("ps:scale", "-a", app).ok().stdout().trim());
        HerokuCli.Result scale = cli.run("ps:scale", "release=1", "-a", app);
        assertNotEquals(0, scale.exitCode(), scale.output());
        assertTrue(scale.output().contains("Cannot scale or resize release"), scale.output());

        HerokuCli.Result retry = cli.run(null, null, 180, "releases:retry", "-a", app).ok();
        assertTrue(retry.output().contains("Retrying v3 on"), retry.output());
        assertTrue(retry.output().contains("done, v4"), retry.output());
        assertTrue(retry.output().contains("Running release command..."), retry.output());
        assertTrue(retry.output().contains("migration done in release.4"), retry.output());

        assertTrue(router.awaitBody(app, "retried web.1", DEPLOY).startsWith("retried web.1"));
        HerokuCli.Result releases = cli.run("releases", "-a", app).ok();
        assertTrue(releases.stdout().matches("(?s).*v4\\s+Retry of v3: Deploy \\w+.*"), releases.stdout());
        assertEquals("release=0:Basic web=1:Basic", cli.run("ps:scale", "-a", app).ok().stdout().trim());
        HerokuCli.Result ps = cli.run("ps", "-a", app).ok();
        assertTrue(ps.stdout().contains("=== web"), ps.stdout());
        assertTrue(!ps.stdout().contains("=== release"), "no release formation dyno runs: " + ps.stdout());

        // ps:type SIZE sends every listed type, release included: the others are resized, release keeps Basic
        HerokuCli.Result resized = cli.run("ps:type", "Standard-2X", "-a", app).ok();
        assertTrue(resized.stdout().matches("(?s).*release\\s+Basic\\s+0.*"), resized.stdout());
        assertTrue(resized.stdout().matches("(?s).*web\\s+Standard-2X\\s+1.*"), resized.stdout());
        HerokuCli.Result resizeRelease = cli.run("ps:type", "release=Standard-2X", "-a", app);
        assertNotEquals(0, resizeRelease.exitCode(), resizeRelease.output());
        assertTrue(resizeRelease.output().contains("Cannot scale or resize release"), resizeRelease.output());
    }
}

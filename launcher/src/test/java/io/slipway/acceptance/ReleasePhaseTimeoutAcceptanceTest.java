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
 * A release command that never ends must not hold a deploy forever: on a platform whose operator set a short
 * {@code slipway.release-phase.timeout}, the push that waits for it fails once the timeout has passed, the
 * release is {@code release command failed}, its dyno is stopped, and the app's next push deploys normally
 * (the push lock was released).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleasePhaseTimeoutAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Duration DEPLOY = Duration.ofSeconds(120);
    private Platform platform;
    private HerokuCli cli;
    private RouterClient router;

    @BeforeAll
    void start() throws Exception {
        assumeRuncAndNode();
        Path dataDir = scratch.create("slipway-release-timeout").resolve("data");
        // this platform's operator keeps release phases short (read once, at start)
        System.setProperty("slipway.release-phase.timeout", "15s");
        System.setProperty("slipway.release-phase.sweep-interval", "1s");
        try {
            platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        } finally {
            System.clearProperty("slipway.release-phase.timeout");
            System.clearProperty("slipway.release-phase.sweep-interval");
        }
        cli = HerokuCli.asAdminOf(platform);
        router = new RouterClient(platform.routerPort());
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void aReleaseCommandThatNeverEndsFailsItsPushAndTheNextPushDeploys() throws Exception {
        String app = "rpt-" + UUID.randomUUID().toString().substring(0, 8);
        Path repo = scratch.create("release-timeout-repo");
        Map<String, String> hung = new HashMap<>(RuntimeApps.node("hung"));
        hung.put("Procfile", "web: node server.js\nrelease: echo migrating forever; sleep 100000\n");
        write(repo, hung);
        git(repo, "init", "-q", "-b", "main", ".");
        commit(repo, "hung");
        cli.run(repo, null, 120, "apps:create", app).ok();

        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertNotEquals(0, push.exitCode(), push.output());
        // (its output shows too when the dyno started before the timeout; a busy host may not have started it)
        assertTrue(push.output().contains("Waiting for release.... failed."), push.output());
        assertTrue(cli.run("releases", "-a", app).ok().stdout().contains("release command failed"));

        // the next push is not locked out, and deploys
        write(repo, RuntimeApps.node("fixed"));
        commit(repo, "fixed");
        HerokuCli.Result again = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(router.awaitBody(app, "fixed web.1", DEPLOY).startsWith("fixed web.1"));
        // the hung release dyno was stopped
        assertTrue(awaitPs(app, ps -> !ps.contains("release."), DEPLOY), "the release dyno is gone from ps");
    }

    private boolean awaitPs(String app, java.util.function.Predicate<String> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(cli.run("ps", "-a", app).ok().stdout())) return true;
            Thread.sleep(500);
        }
        return false;
    }
}

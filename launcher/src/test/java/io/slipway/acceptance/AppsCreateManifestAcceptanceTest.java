package io.slipway.acceptance;

import static io.slipway.acceptance.TestHost.commit;
import static io.slipway.acceptance.TestHost.git;
import static io.slipway.acceptance.TestHost.onPath;
import static io.slipway.acceptance.TestHost.write;
import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code heroku apps:create --manifest} with the stock CLI: it reads {@code heroku.yml} itself and applies its
 * {@code setup:} through the Platform API, as on Heroku ({@code POST /apps} on the {@code container} stack, one
 * {@code POST /apps/{app}/addons} per {@code setup.addons} entry with its {@code as} attachment name, then
 * {@code PATCH /apps/{app}/config-vars} with {@code setup.config}), and adds the git remote. The add-on is a
 * Redis ({@code heroku-redis}), the quickest of Slipway's add-ons to provision. Config values are quoted: the
 * API takes strings only, as Heroku's schema says, so an unquoted {@code 3} is refused ({@code invalid_params}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppsCreateManifestAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private Platform platform;
    private HerokuCli cli;
    private PlatformApi api;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(onPath("redis-server") && onPath("redis-cli"), "needs redis (launcher/scripts/install-packages.sh)");
        Path dataDir = scratch.create("slipway-manifest").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        cli = HerokuCli.asAdminOf(platform);
        api = new PlatformApi(platform);
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void setupAddonsAndConfigOfHerokuYmlAreAppliedOnTheContainerStack() throws Exception {
        String app = "mf-" + UUID.randomUUID().toString().substring(0, 8);
        Path repo = scratch.create("manifest-repo");
        write(repo, Map.of(
                "heroku.yml", """
                        setup:
                          addons:
                            - plan: heroku-redis
                              as: CACHE
                          config:
                            GREETING: hello from heroku.yml
                            WORKERS: "3"
                        build:
                          docker:
                            web: Dockerfile
                        """,
                "Dockerfile", "FROM heroku/heroku:24\nUSER heroku\nCMD [\"sleep\", \"infinity\"]\n"));
        git(repo, "init", "-q", "-b", "main", ".");
        commit(repo, "first");

        HerokuCli.Result created = cli.run(repo, null, 180, "apps:create", app, "--manifest").ok();
        assertTrue(created.output().contains("Reading heroku.yml manifest"), created.output());
        assertTrue(created.output().contains("stack is container"), created.output());
        assertTrue(created.output().contains("Adding heroku-redis"), created.output());
        assertTrue(created.output().contains("Setting config vars"), created.output());

        assertEquals("container", api("GET", "/apps/" + app).path("stack").path("name").asString());
        JsonNode addons = api("GET", "/apps/" + app + "/addons");
        assertEquals(1, addons.size(), addons.toString());
        assertTrue(addons.get(0).path("plan").path("name").asString().startsWith("heroku-redis:"), addons.toString());
        JsonNode attachments = api("GET", "/apps/" + app + "/addon-attachments");
        assertEquals("CACHE", attachments.get(0).path("name").asString(), attachments.toString());

        assertEquals("hello from heroku.yml", cli.run("config:get", "GREETING", "-a", app).ok().stdout().trim());
        assertEquals("3", cli.run("config:get", "WORKERS", "-a", app).ok().stdout().trim());
        assertTrue(cli.run("config:get", "CACHE_URL", "-a", app).ok().stdout().trim().startsWith("redis"),
                "the add-on's config var carries its attachment name");
        assertTrue(gitOutput(repo, "remote", "get-url", "heroku").contains("/" + app + ".git"));
    }

    private JsonNode api(String method, String path) throws Exception {
        return api.call(platform.adminApiKey(), method, path, null);
    }

    private static String gitOutput(Path dir, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out;
    }
}

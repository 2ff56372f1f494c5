package io.slipway.acceptance;

import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.api.accounts.CreateUser;
import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stock heroku CLI (npm heroku@11.10.0, unmodified) against a real embedded platform, one app's life in
 * order: create, inspect, configure, release and roll back, domains, keys, collaborators, drains, maintenance,
 * labs, rename, destroy; then {@code login -i}/{@code logout} and isolation between users.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private Platform platform;
    private HerokuCli admin;
    private CreateUser.Created alice;
    private CreateUser.Created bob;
    private Path repo;
    private final String app = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    private final String alicePassword = "alice-pass-" + UUID.randomUUID();

    @BeforeAll
    void start() throws Exception {
        Path dataDir = scratch.create("slipway-cli-acceptance").resolve("data");
        // the paging test gives alice 250 apps, past the default quota of 100 per user: this platform's operator
        // raised it (read once, at start)
        System.setProperty("slipway.limits.apps-per-user", "1000");
        try {
            platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com"));
        } finally {
            System.clearProperty("slipway.limits.apps-per-user");
        }
        CreateUser users = platform.apiServer().getBean(CreateUser.class);
        alice = users.create("alice-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com", alicePassword, false);
        bob = users.create("bob-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com", null, false);
        admin = HerokuCli.asAdminOf(platform);
        repo = scratch.create("cli-repo");
        git("init", "-q", "-b", "main", ".");
        git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "empty");
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    @Order(10)
    void whoami() throws Exception {
        assertEquals("admin@example.com", admin.run("auth:whoami").ok().stdout().trim());
    }

    @Test
    @Order(20)
    void createsAnAppWithAGitRemote() throws Exception {
        HerokuCli.Result r = admin.run(repo, null, 120, "apps:create", app).ok();
        String gitUrl = platform.config().publicUrl() + "/" + app + ".git";
        assertTrue(r.stdout().contains(gitUrl), r.output());
        assertEquals(gitUrl, git("remote", "get-url", "heroku").trim());
        HerokuCli.Result generated = admin.run("apps:create").ok();
        assertTrue(generated.stderr().matches("(?s).*done, [a-z]+-[a-z]+-\\d{4}.*"), generated.output());
    }

    /** git push through the CLI's own credential helper (the API key never appears in the remote URL). */
    @Test
    @Order(25)
    void gitPushDeploysThroughTheCredentialHelper() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "builds run in runc containers, which need root");
        Files.writeString(repo.resolve("Procfile"), "web: python3 -m http.server $PORT\n");
        git("add", "Procfile");
        git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "Procfile");
        assertEquals("", git("remote", "get-url", "heroku").replace(platform.config().publicUrl() + "/" + app + ".git", "").trim(),
                "the remote holds no credentials");
        HerokuCli.Result push = admin.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        assertTrue(push.output().contains("-----> Procfile app detected"), push.output());
        assertTrue(push.output().contains("Released v2"), push.output());
        assertTrue(admin.run("releases", "-a", app).ok().stdout().contains("Current: v2"));
        assertTrue(admin.run("ps:scale", "-a", app).ok().stdout().contains("web=1:Basic"));
    }

    @Test
    @Order(30)
    void listsAndShowsApps() throws Exception {
        assertTrue(admin.run("apps").ok().stdout().contains(app));
        assertTrue(admin.run("apps", "--json").ok().stdout().contains("\"name\": \"" + app + "\""));
        HerokuCli.Result info = admin.run("apps:info", "-a", app).ok();
        assertTrue(info.stdout().contains("=== " + app), info.output());
        assertTrue(info.stdout().contains("Git URL:"), info.output());
        // app detected from the git remote, no -a
        assertTrue(admin.run(repo, null, 60, "apps:info").ok().stdout().contains("=== " + app));
    }

    @Test
    @Order(40)
    void configChangesAreReleasesThatRollBack() throws Exception {
        HerokuCli.Result set = admin.run("config:set", "A=1", "B=2", "-a", app).ok();
        assertTrue(set.stdout().matches("(?s).*A: +1.*"), set.output());
        int base = pushed() ? 1 : 0;
        assertTrue(set.stderr().contains("done, v" + (2 + base)), set.output());
        assertEquals("1", admin.run("config:get", "A", "-a", app).ok().stdout().trim());
        assertTrue(admin.run("config:unset", "A", "-a", app).ok().stderr().contains("done, v" + (3 + base)));
        assertEquals("", admin.run("config:get", "A", "-a", app).ok().stdout().trim());

        HerokuCli.Result releases = admin.run("releases", "-a", app).ok();
        assertTrue(releases.stdout().contains("Current: v" + (3 + base)), releases.output());
        assertTrue(releases.stdout().contains("Remove A config vars"), releases.output());
        String withA = "v" + (2 + base);
        assertTrue(admin.run("releases:info", withA, "-a", app).ok().stdout().contains("=== Release " + withA));

        HerokuCli.Result rollback = admin.run("rollback", withA, "-a", app).ok();
        assertTrue(rollback.output().contains("done, v" + (4 + base)), rollback.output());
        assertTrue(admin.run("config", "-a", app).ok().stdout().matches("(?s).*A: +1.*"));
    }

    @Test
    @Order(50)
    void domains() throws Exception {
        assertTrue(admin.run("domains", "-a", app).ok().stdout().contains(app + ".localhost"));
        String host = "www." + app + ".example.com";
        assertTrue(admin.run("domains:add", host, "-a", app).ok().output().contains("DNS Target"));
        assertTrue(admin.run("domains", "-a", app).ok().stdout().contains(host));
        admin.run("domains:remove", host, "-a", app).ok();
        assertTrue(!admin.run("domains", "-a", app).ok().stdout().contains(host));
    }

    @Test
    @Order(60)
    void sshKeys() throws Exception {
        Path key = admin.home().resolve("id_ed25519");
        TestHost.sshKeygen(key, "cli@example.com");
        admin.run("keys:add", key + ".pub").ok();
        assertTrue(admin.run("keys").ok().stdout().contains("cli@example.com"));
        assertNotEquals(0, admin.run("keys:add", key + ".pub").exitCode(), "the same key twice is refused");
    }

    @Test
    @Order(70)
    void collaborators() throws Exception {
        admin.run("access:add", bob.account().email(), "-a", app).ok();
        HerokuCli.Result access = admin.run("access", "-a", app).ok();
        assertTrue(access.stdout().contains(bob.account().email()), access.output());
        assertTrue(access.stdout().contains("owner"), access.output());
        HerokuCli bobCli = admin.withApiKey(bob.apiKey());
        assertTrue(bobCli.run("apps:info", "-a", app).ok().stdout().contains("=== " + app));
        assertNotEquals(0, bobCli.run("apps:destroy", "-a", app, "--confirm", app).exitCode(),
                "a collaborator cannot destroy the app");
    }

    @Test
    @Order(80)
    void drainsMaintenanceLabsAndPs() throws Exception {
        assertTrue(admin.run("drains:add", "https://drain.example.com/logs", "-a", app).ok().output()
                .contains("Successfully added drain"));
        assertTrue(admin.run("drains", "-a", app).ok().stdout().contains("https://drain.example.com/logs"));
        admin.run("maintenance:on", "-a", app).ok();
        assertEquals("on", admin.run("maintenance", "-a", app).ok().stdout().trim());
        admin.run("maintenance:off", "-a", app).ok();
        assertEquals("off", admin.run("maintenance", "-a", app).ok().stdout().trim());
        assertTrue(admin.run("labs", "-a", app).ok().stdout().contains("=== User Features"));
        admin.run("ps", "-a", app).ok();
        admin.run("ps:restart", "-a", app).ok();
    }

    @Test
    @Order(90)
    void strangersSeeNothing() throws Exception {
        HerokuCli aliceCli = admin.withApiKey(alice.apiKey());
        HerokuCli.Result info = aliceCli.run("apps:info", "-a", app);
        assertNotEquals(0, info.exitCode());
        assertTrue(info.output().contains("Couldn't find that app"), info.output());
        assertTrue(!aliceCli.run("apps").ok().stdout().contains(app));
        assertNotEquals(0, aliceCli.run("config:set", "X=1", "-a", app).exitCode());
    }

    @Test
    @Order(100)
    void renameAndDestroy() throws Exception {
        String renamed = app + "-r";
        HerokuCli.Result r = admin.run(repo, null, 60, "apps:rename", renamed).ok();
        assertTrue(r.stdout().contains(platform.config().publicUrl() + "/" + renamed + ".git"), r.output());
        assertEquals(platform.config().publicUrl() + "/" + renamed + ".git", git("remote", "get-url", "heroku").trim());
        admin.run("apps:destroy", "-a", renamed, "--confirm", renamed).ok();
        assertNotEquals(0, admin.run("apps:info", "-a", renamed).exitCode());
    }

    @Test
    @Order(110)
    void loginWithPasswordAndLogout() throws Exception {
        HerokuCli noKey = admin.withApiKey(null);
        HerokuCli.Result login = noKey.runAnswering(List.of(alice.account().email(), alicePassword), "login", "-i");
        assertTrue(login.output().contains("Logged in as " + alice.account().email()), login.output());
        String netrc = Files.readString(noKey.home().resolve(".netrc"));
        assertTrue(netrc.contains("machine 127.0.0.1:" + platform.config().apiPort()), netrc);
        assertEquals(alice.account().email(), noKey.run("auth:whoami").ok().stdout().trim());
        noKey.run("logout").ok();
        assertNotEquals(0, noKey.run("auth:whoami").exitCode());
        // Alice's API key (not the login token) still works
        assertEquals(alice.account().email(), admin.withApiKey(alice.apiKey()).run("auth:whoami").ok().stdout().trim());
    }

    @Test
    @Order(120)
    void pagedListingShowsAll250Apps() throws Exception {
        HerokuCli aliceCli = admin.withApiKey(alice.apiKey());
        var create = platform.apiServer().getBean(io.slipway.api.applifecycle.CreateApp.class);
        for (int i = 0; i < 250; i++) {
            create.create(alice.account().id(), new io.slipway.api.applifecycle.CreateApp.Request(
                    String.format("page-%03d-%s", i, UUID.randomUUID().toString().substring(0, 6)), null, null));
        }
        HerokuCli.Result list = aliceCli.run("apps", "--json").ok();
        long count = list.stdout().lines().filter(l -> l.matches("\\s*\"name\": \"page-\\d{3}-.*")).count();
        assertEquals(250, count, "apps --json lists every app across pages");
    }

    private static boolean pushed() {
        return "root".equals(System.getProperty("user.name"));
    }

    private String git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "git " + String.join(" ", args) + ": " + out);
        return out;
    }
}

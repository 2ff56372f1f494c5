package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.api.accounts.CreateUser;
import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.testing.SampleApps;
import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Issue #3 end to end: the real {@code git} client pushes real repositories to a running embedded platform,
 * over HTTPS through the API's TLS front door ({@code https://heroku:<API key>@host:port/<app>.git}) and over
 * SSH with a key added through {@code POST /account/keys}; the in-process build-worker builds them in runc
 * with the built-in buildpacks, and each push yields a release whose slug has the right process types. Then
 * the ways a push fails: each prints a clear message, git exits non-zero, and the app keeps its release.
 *
 * <p>Builds run in runc containers, so this needs root and runc (as CI has); the Node.js and Maven apps need
 * the stack's (this host's) node/npm and mvn. The Node.js app fetches one package from the npm registry; the
 * Maven app resolves its plugins from this machine's local repository (served by {@link HostServer}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitPushAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final int PUSH_TIMEOUT = 300;
    private static final String PROCFILE = "web: python3 -m http.server $PORT\nworker: sleep infinity\n";
    private static final Map<String, String> PROCFILE_TYPES =
            Map.of("web", "python3 -m http.server $PORT", "worker", "sleep infinity");

    private Platform platform;
    private PlatformApi api;
    private HostServer host;
    private GitCli git;
    private CreateUser.Created alice;
    private CreateUser.Created bob;
    private Deployed baseline;

    /** An app with one successful push of the Procfile app: its work tree, the pushed head and the release. */
    private record Deployed(String app, Path dir, String head, int version) {}

    @BeforeAll
    void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "builds run in runc containers, which need root");
        assumeTrue(onStack("runc"), "builds run in runc containers: apt-get install runc");
        Path dataDir = scratch.create("slipway-push-acceptance").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, LocalPorts.freePort(), "admin@example.com"));
        api = new PlatformApi(platform);
        CreateUser users = platform.apiServer().getBean(CreateUser.class);
        alice = users.create("alice-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com", null, false);
        bob = users.create("bob-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com", null, false);
        git = new GitCli(scratch.create("git-home"), platform.tls().caCert());
        host = new HostServer(Path.of(System.getProperty("user.home"), ".m2", "repository"));
    }

    @AfterAll
    void stop() {
        if (host != null) host.close();
        if (platform != null) platform.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Each kind of app deploys and gets the right process types

    @Test
    void aProcfileOnlyAppOverHttps() throws Exception {
        String app = createApp(alice, "procfile");
        Path dir = git.newRepo(Map.of("Procfile", PROCFILE, "README.md", "# demo\n"));
        GitCli.Result push = push(dir, httpsUrl(alice, app), "main");
        assertDeployed(push, app, "Procfile", 2);
        assertTrue(push.output().contains("remote:        Procfile declares types -> web, worker"), push.output());
        assertTrue(push.output().contains(" * [new branch]      main -> main"), push.output());
        assertEquals(PROCFILE_TYPES, processTypes(alice, app, 2));
        assertEquals(git.head(dir), slug(alice, app, 2).path("commit").asText(), "the slug names the pushed commit");
        assertEquals(git.head(dir), remoteHead(dir, httpsUrl(alice, app), "main"));
    }

    @Test
    void aProcfileOnlyAppOverSshWithAKeyAddedThroughTheApi() throws Exception {
        String app = createApp(alice, "ssh");
        GitCli ssh = git.withSshKey(newSshKey(alice, "alice-ssh"));
        Path dir = git.newRepo(Map.of("Procfile", PROCFILE));
        GitCli.Result push = push(ssh, dir, sshUrl(app), "main");
        assertDeployed(push, app, "Procfile", 2);
        assertEquals(PROCFILE_TYPES, processTypes(alice, app, 2));

        // a second commit over SSH is the next release
        git.commit(dir, Map.of("README.md", "more\n"), "second");
        assertDeployed(push(ssh, dir, sshUrl(app), "main"), app, "Procfile", 3);
        assertEquals(git.head(dir), remoteHead(dir, httpsUrl(alice, app), "main"));
    }

    @Test
    void aNodeAppWithAnNpmDependency() throws Exception {
        assumeTrue(onStack("node") && onStack("npm"), "the stack (this host) has no Node.js");
        String app = createApp(alice, "node");
        Path dir = git.newRepo(SampleApps.nodeWithNpmDependency());
        GitCli.Result push = push(dir, httpsUrl(alice, app), "main");
        assertDeployed(push, app, "Node.js", 2);
        assertTrue(push.output().contains("remote:        Installing node modules (package.json)"), push.output());
        assertTrue(push.output().matches("(?s).*remote:        added 1 package.*"), push.output());
        assertEquals(Map.of("web", "npm start"), processTypes(alice, app, 2));
    }

    @Test
    void aMavenApp() throws Exception {
        assumeTrue(onStack("mvn") && onStack("java"), "the stack (this host) has no Maven: apt-get install maven");
        String app = createApp(alice, "maven");
        Path dir = git.newRepo(SampleApps.maven(host.url()));
        GitCli.Result push = push(dir, httpsUrl(alice, app), "main");
        assertDeployed(push, app, "Java", 2);
        assertTrue(push.output().contains("remote:        Built target/demo-1.0.jar"), push.output());
        assertEquals(Map.of("web", "java -Dserver.port=$PORT $JAVA_OPTS -jar target/demo-1.0.jar"),
                processTypes(alice, app, 2));
    }

    @Test
    void aPythonApp() throws Exception {
        String app = createApp(alice, "python");
        Path dir = git.newRepo(SampleApps.python());
        GitCli.Result push = push(dir, httpsUrl(alice, app), "main");
        assertDeployed(push, app, "Python", 2);
        assertTrue(push.output().contains("remote: -----> No packages to install"), push.output());
        assertEquals(Map.of("web", "python3 app.py"), processTypes(alice, app, 2));
    }

    @Test
    void aStaticSite() throws Exception {
        String app = createApp(alice, "static");
        Path dir = git.newRepo(SampleApps.staticSite());
        GitCli.Result push = push(dir, httpsUrl(alice, app), "main");
        assertDeployed(push, app, "Static HTML", 2);
        assertEquals(Map.of("web", "python3 -m http.server $PORT --bind 0.0.0.0"), processTypes(alice, app, 2));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Failed pushes: a clear message, git exits non-zero, the app keeps its release and its repository's head

    @Test
    void anAppNoBuildpackDetectsIsRejected() throws Exception {
        Deployed app = baseline();
        Path dir = cloneOf(app);
        Map<String, String> change = new HashMap<>();
        change.put("Procfile", null);
        change.put("notes.md", "nothing to run here\n");
        git.commit(dir, change, "no Procfile");
        GitCli.Result push = push(dir, httpsUrl(alice, app.app()), "main").failed();
        assertRejected(push, app, "remote:  !     No default language could be detected for this app.");
    }

    @Test
    void aCompileErrorIsRejected() throws Exception {
        Deployed app = baseline();
        Path dir = cloneOf(app);
        git.commit(dir, SampleApps.failingNodeBuild(), "a build step that fails");
        GitCli.Result push = push(dir, httpsUrl(alice, app.app()), "main").failed();
        assertRejected(push, app, "remote: -----> Node.js app detected", "error TS2304: Cannot find name foo",
                "remote:  !     Push rejected, failed to compile Node.js app.");
    }

    @Test
    void aPushToSomeoneElsesAppIsRefusedOverHttpsAndSsh() throws Exception {
        Deployed app = baseline();
        Path dir = cloneOf(app);
        git.commit(dir, Map.of("README.md", "bob was here\n"), "bob's change");

        GitCli.Result overHttps = push(dir, httpsUrl(bob, app.app()), "main").failed();
        assertTrue(overHttps.output().contains("remote: !     Couldn't find that app."), overHttps.output());
        GitCli.Result overSsh = push(git.withSshKey(newSshKey(bob, "bob-ssh")), dir, sshUrl(app.app()), "main")
                .failed();
        assertTrue(overSsh.output().contains("Couldn't find that app."), overSsh.output());
        assertUnchanged(app, overHttps.output() + overSsh.output());
    }

    /**
     * A deploy key (issue 11), added with {@code slipway deploy-keys:add} as a CI would be given one: it pushes to
     * its app, and is refused on the owner's other app and over the key's SSH for anything but git; removed, it
     * stops working.
     */
    @Test
    void aDeployKeyPushesToItsAppOnly() throws Exception {
        String app = createApp(alice, "dk");
        String other = createApp(alice, "dk-other");
        Path key = keygen("deploy");
        Map<String, String> env = Map.of("HEROKU_HOST", "https://127.0.0.1:" + platform.config().apiPort(),
                "HEROKU_API_KEY", alice.apiKey(), "SSL_CERT_FILE", platform.tls().caCert().toString());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(0, io.slipway.launcher.DeployKeysCommand.run("deploy-keys:add",
                List.of(key + ".pub", "--app", app, "--name", "ci"), env, new java.io.PrintStream(out, true)));
        assertTrue(out.toString().contains("Added deploy key ci"), out.toString());

        GitCli ci = git.withSshKey(key);
        Path dir = git.newRepo(Map.of("Procfile", PROCFILE));
        assertDeployed(push(ci, dir, sshUrl(app), "main"), app, "Procfile", 2);
        GitCli.Result elsewhere = push(ci, dir, sshUrl(other), "main").failed();
        assertTrue(elsewhere.output().contains("Couldn't find that app."), elsewhere.output());
        assertEquals(1, newestRelease(alice, other).path("version").asInt(), "the other app got no release");

        Process shell = new ProcessBuilder("ssh", "-F", "/dev/null", "-i", key.toString(), "-p",
                String.valueOf(platform.gitSshPort()), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "git@127.0.0.1", "cat /etc/passwd")
                .redirectErrorStream(true).start();
        String shellOut = new String(shell.getInputStream().readAllBytes());
        assertTrue(shell.waitFor(30, TimeUnit.SECONDS));
        assertTrue(shell.exitValue() != 0 && !shellOut.contains("root:"), shellOut);

        out.reset();
        assertEquals(0, io.slipway.launcher.DeployKeysCommand.run("deploy-keys:remove", List.of("ci", "--app", app), env,
                new java.io.PrintStream(out, true)));
        git.commit(dir, Map.of("README.md", "after removal\n"), "after removal");
        push(ci, dir, sshUrl(app), "main").failed();
        assertEquals(2, newestRelease(alice, app).path("version").asInt(), "a removed key pushes nothing");
    }

    @Test
    void aBranchOtherThanMainOrMasterIsRefused() throws Exception {
        Deployed app = baseline();
        Path dir = cloneOf(app);
        git.run(dir, "checkout", "-q", "-b", "feature").ok();
        git.commit(dir, Map.of("README.md", "feature work\n"), "feature");
        GitCli.Result push = push(dir, httpsUrl(alice, app.app()), "feature").failed();
        assertRejected(push, app, "Push rejected: feature is not a deploy branch. Only the main or master branch deploys.",
                "feature -> feature (only main or master can be pushed)");
        assertNull(remoteHead(dir, httpsUrl(alice, app.app()), "feature"));
    }

    @Test
    void anUnreachableBuildpackUrlFailsThePush() throws Exception {
        Deployed app = deployProcfileApp("buildpack");
        String buildpack = "https://127.0.0.1:9/nope.tgz";
        api(alice, "PUT", "/apps/" + app.app() + "/buildpack-installations",
                Map.of("updates", List.of(Map.of("buildpack", buildpack))));
        Path dir = cloneOf(app);
        git.commit(dir, Map.of("README.md", "next\n"), "next");
        GitCli.Result push = push(dir, httpsUrl(alice, app.app()), "main").failed();
        assertRejected(push, app, "Failed to download buildpack " + buildpack);
    }

    /**
     * Two pushes to one app at once: the first is held inside its build (its build script waits at a gate on
     * this host) while the second arrives, which is refused at once with the lock message and changes nothing;
     * the first then finishes and the repository holds its head.
     */
    @Test
    void aConcurrentPushIsRefusedAndTheRepositoryKeepsTheWinner() throws Exception {
        assumeTrue(onStack("node") && onStack("npm"), "the stack (this host) has no Node.js");
        String app = createApp(alice, "race");
        String gateName = app + "-build";
        HostServer.Gate gate = host.gate(gateName);
        Path winner = git.newRepo(SampleApps.nodeBuildWaitingAt(host.gateUrl(gateName)));
        String winnerHead = git.head(winner);
        Path loser = git.newRepo(Map.of("Procfile", PROCFILE));

        CompletableFuture<GitCli.Result> first = CompletableFuture.supplyAsync(() -> {
            try {
                return push(winner, httpsUrl(alice, app), "main");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        GitCli.Result second;
        try {
            for (int i = 0; i < 180 && !gate.awaitArrival(Duration.ofSeconds(1)); i++) {
                if (first.isDone()) throw new AssertionError("the first push ended before its build reached the gate:\n"
                        + first.join().output());
            }
            assertTrue(gate.awaitArrival(Duration.ZERO), "the first push's build reached its gate");
            second = push(loser, httpsUrl(alice, app), "main");
        } finally {
            gate.open();
        }
        GitCli.Result done = first.get(PUSH_TIMEOUT, TimeUnit.SECONDS);

        second.failed();
        assertTrue(second.output().contains("remote:  !     Another push to " + app
                + " is in progress; try again when it finishes."), second.output());
        assertFalse(second.output().contains("Released v"), second.output());
        assertDeployed(done, app, "Node.js", 2);
        assertTrue(done.output().contains("remote:        through the gate"), done.output());

        JsonNode newest = newestRelease(alice, app);
        assertEquals(2, newest.path("version").asInt(), "one release, the winner's");
        assertEquals(Map.of("web", "npm start"), processTypes(alice, app, 2));
        Path clone = git.home().resolve("clone-" + app);
        git.run(git.home(), 120, "clone", "-q", httpsUrl(alice, app), clone.toString()).ok();
        assertEquals(winnerHead, git.head(clone), "the owner's clone has the winner's head");
        git.run(clone, 120, "fsck", "--full", "--strict").ok();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The Procfile app deployed once, shared by failure tests that each leave it exactly as they found it. */
    private synchronized Deployed baseline() throws Exception {
        if (baseline == null) baseline = deployProcfileApp("base");
        return baseline;
    }

    private Deployed deployProcfileApp(String prefix) throws Exception {
        String app = createApp(alice, prefix);
        Path dir = git.newRepo(Map.of("Procfile", PROCFILE));
        assertDeployed(push(dir, httpsUrl(alice, app), "main"), app, "Procfile", 2);
        return new Deployed(app, dir, git.head(dir), 2);
    }

    /** The owner's clone of the app's repository, fetched from the platform. */
    private Path cloneOf(Deployed app) throws Exception {
        Path dir = git.home().resolve("clone-" + UUID.randomUUID());
        git.run(git.home(), 120, "clone", "-q", httpsUrl(alice, app.app()), dir.toString()).ok();
        assertEquals(app.head(), git.head(dir));
        return dir;
    }

    private GitCli.Result push(Path dir, String url, String refspec) throws IOException, InterruptedException {
        return push(git, dir, url, refspec);
    }

    /** {@code git push url refspec}; its output goes to the test log, without the API key. */
    private static GitCli.Result push(GitCli client, Path dir, String url, String refspec) throws IOException, InterruptedException {
        long start = System.nanoTime();
        GitCli.Result r = client.run(dir, PUSH_TIMEOUT, "push", url, refspec);
        String hidden = "//heroku:***@";
        System.out.printf("=== git push %s %s: exit %d in %.1f s%n%s%n", url.replaceAll("//heroku:[^@]*@", hidden),
                refspec, r.exitCode(), (System.nanoTime() - start) / 1e9, r.output().replaceAll("//heroku:[^@/]*@", hidden));
        return r;
    }

    private void assertDeployed(GitCli.Result push, String app, String language, int version) throws Exception {
        String out = push.ok().output();
        for (String line : List.of("remote: -----> Building on the heroku-24 stack", "remote: -----> " + language + " app detected",
                "remote: -----> Launching...", "remote:        Released v" + version, "deployed to Slipway")) {
            assertTrue(out.contains(line), "missing '" + line + "' in:\n" + out);
        }
        JsonNode newest = newestRelease(alice, app);
        assertEquals(version, newest.path("version").asInt(), out);
        assertTrue(newest.path("current").asBoolean(), newest.toString());
    }

    /** The push failed with {@code messages} and left the app's release and repository as they were. */
    private void assertRejected(GitCli.Result push, Deployed app, String... messages) throws Exception {
        String out = push.output();
        for (String m : messages) assertTrue(out.contains(m), "missing '" + m + "' in:\n" + out);
        assertTrue(out.contains("remote:  !     Push failed") || out.contains("remote:  !     Push rejected"), out);
        assertTrue(out.contains("(pre-receive hook declined)") || out.contains("(only main or master can be pushed)"), out);
        assertFalse(out.contains("Released v"), out);
        assertUnchanged(app, out);
    }

    private void assertUnchanged(Deployed app, String context) throws Exception {
        JsonNode newest = newestRelease(alice, app.app());
        assertEquals(app.version(), newest.path("version").asInt(), "the previous release is still the newest\n" + context);
        assertTrue(newest.path("current").asBoolean(), newest.toString());
        assertEquals(app.head(), remoteHead(git.home(), httpsUrl(alice, app.app()), "main"), "the repository kept its head");
    }

    private String remoteHead(Path dir, String url, String branch) throws Exception {
        String out = git.run(dir, 60, "ls-remote", url, "refs/heads/" + branch).ok().output().trim();
        return out.isEmpty() ? null : out.split("\\s+")[0];
    }

    private String httpsUrl(CreateUser.Created user, String app) {
        return "https://heroku:" + URLEncoder.encode(user.apiKey(), StandardCharsets.UTF_8) + "@127.0.0.1:"
                + platform.config().apiPort() + "/" + app + ".git";
    }

    private String sshUrl(String app) {
        return "ssh://git@127.0.0.1:" + platform.gitSshPort() + "/" + app + ".git";
    }

    /** A new ed25519 key made by ssh-keygen, added to {@code user}'s account through the API; answers the private key. */
    private Path newSshKey(CreateUser.Created user, String name) throws Exception {
        Path key = keygen(name);
        api(user, "POST", "/account/keys", Map.of("public_key", Files.readString(Path.of(key + ".pub")).trim()));
        return key;
    }

    /** A new ed25519 key pair made by ssh-keygen in the git home; answers the private key ({@code .pub} beside it). */
    private Path keygen(String name) throws Exception {
        Path key = git.home().resolve(name + "-" + UUID.randomUUID().toString().substring(0, 6));
        TestHost.sshKeygen(key, name + "@example.com");
        return key;
    }

    private String createApp(CreateUser.Created owner, String prefix) throws Exception {
        return api.createApp(owner.apiKey(), prefix);
    }

    private JsonNode newestRelease(CreateUser.Created user, String app) throws Exception {
        return api.newestRelease(user.apiKey(), app);
    }

    private JsonNode slug(CreateUser.Created user, String app, int version) throws Exception {
        return api.slug(user.apiKey(), app, version);
    }

    private Map<String, String> processTypes(CreateUser.Created user, String app, int version) throws Exception {
        return api.processTypes(user.apiKey(), app, version);
    }

    private JsonNode api(CreateUser.Created user, String method, String path, Object body) throws Exception {
        return api.call(user.apiKey(), method, path, body);
    }

    /** In the host's system directories, which a build container sees as its stack (not this JVM's PATH). */
    private static boolean onStack(String command) {
        for (String dir : List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }
}

package io.slipway.gitgateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * git over HTTPS the way the stock CLI sets it up: the remote is https://<API host:port>/<app>.git, the
 * api-server's TLS listener forwards it to the gateway, the API key is the Basic password.
 */
class GitOverHttpsTest {
    static final String LONG_PATH = "src/" + "deeply/".repeat(16) + "nested-file-with-a-long-name.js";
    private final Platform platform = Platform.get();
    @TempDir
    Path home;
    private GitClient git;

    @BeforeEach
    void setUp() {
        git = new GitClient(home, platform.tls.caPem());
    }

    private String url(Platform.User user, String app) {
        return "https://heroku:" + user.apiKey() + "@127.0.0.1:" + platform.apiPort + "/" + app + ".git";
    }

    private Path nodeApp() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package.json", "{\"name\":\"demo\",\"scripts\":{\"start\":\"node index.js\"}}\n");
        files.put("index.js", "require('http').createServer((q, s) => s.end('hi')).listen(process.env.PORT)\n");
        files.put("bin/run", "#!/bin/sh\nexec node index.js\n");
        files.put(LONG_PATH, "// long\n");
        Path dir = git.newRepo(Map.of("README.md", "demo\n"));
        for (var e : files.entrySet()) GitClient.write(dir, e.getKey(), e.getValue());
        Files.setPosixFilePermissions(dir.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("start.js"), Path.of("index.js"));
        git.git(dir, "add", "-A").ok();
        git.git(dir, "commit", "-q", "-m", "node app").ok();
        return dir;
    }

    @Test
    void aPushThroughTheFrontDoorBuildsTheCommitAndStreamsTheOutput() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = nodeApp();
        String commit = git.head(dir);

        Processes.Result push = git.git(dir, "push", url(alice, app), "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        String out = push.output();
        assertThat(out).contains("remote: Compressing source files... done.", "remote: Building source:",
                "remote: -----> Building on the heroku-24 stack", "remote: -----> Node.js app detected",
                "remote: -----> Launching...", "remote:        Released v2",
                "remote:        http://" + app + ".localhost:8080/ deployed to Slipway", " * [new branch]      main -> main");
        assertThat(out.indexOf("Building on the heroku-24 stack")).as("printed once")
                .isEqualTo(out.lastIndexOf("Building on the heroku-24 stack"));
        assertThat(out.indexOf("Node.js app detected")).isLessThan(out.indexOf("Launching..."));

        List<ScriptedBuilds.Received> builds = platform.builds.received(app);
        assertThat(builds).hasSize(1);
        assertThat(builds.get(0).commit()).isEqualTo(commit);
        assertThat(builds.get(0).accountEmail()).isEqualTo(alice.email());
        // the source archive, read by the real tar: the commit's tree at the root, modes and links kept, no .git
        String listing = Processes.run(null, List.of("tar", "tvzf", builds.get(0).archive().toString())).ok().output();
        assertThat(listing).contains("package.json", "index.js", LONG_PATH, "README.md")
                .doesNotContain(".git/");
        assertThat(listing.lines().filter(l -> l.endsWith(" bin/run")).findFirst().orElseThrow()).startsWith("-rwxr-xr-x");
        assertThat(listing.lines().filter(l -> l.contains("start.js")).findFirst().orElseThrow())
                .startsWith("l").endsWith("start.js -> index.js");
        Path extracted = Files.createTempDirectory(home, "x");
        Processes.run(extracted, List.of("tar", "xzf", builds.get(0).archive().toString())).ok();
        assertThat(Files.readString(extracted.resolve("package.json"))).contains("\"start\"");

        assertThat(git.remoteHead(dir, url(alice, app), "main")).isEqualTo(commit);
        Path clone = home.resolve("clone");
        git.git(home, "clone", "-q", url(alice, app), clone.toString()).ok();
        assertThat(git.head(clone)).isEqualTo(commit);
        assertThat(clone.resolve(LONG_PATH)).exists();
        assertThat(Files.isExecutable(clone.resolve("bin/run"))).isTrue();
        assertThat(git.git(clone, "rev-parse", "--abbrev-ref", "HEAD").ok().output().trim()).isEqualTo("main");

        // the push token is gone once the push ended: only Alice's own key is left
        String authorizations = platform.call(alice, "GET", "/oauth/authorizations", null, 200);
        assertThat(authorizations).doesNotContain("git push " + app);
    }

    @Test
    void buildOutputReachesTheUserWhileTheBuildIsStillRunning() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = git.newRepo(Map.of("package.json", "{}\n"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        platform.builds.script(app, ScriptedBuilds.Script.succeed()
                .first(List.of("-----> Building on the heroku-24 stack", "-----> Installing dependencies (slowly)"))
                .blocking(started, proceed));
        LiveProcess push = LiveProcess.start(dir, git, "push", "--progress", url(alice, app), "main");
        try {
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            // the build has not finished, yet its first lines already went through the gateway and the TLS front door
            assertThat(push.awaitLine("remote: -----> Installing dependencies (slowly)", 30)).isTrue();
            assertThat(push.output()).doesNotContain("Launching");
        } finally {
            proceed.countDown();
        }
        Processes.Result done = push.finish();
        assertThat(done.exitCode()).as(done.output()).isZero();
        assertThat(done.output()).contains("remote: -----> Launching...");
    }

    @Test
    void aLargePushStreamsThroughTheFrontDoor() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = git.newRepo(Map.of("package.json", "{}\n"));
        byte[] noise = new byte[6 * 1024 * 1024];
        new java.util.Random(42).nextBytes(noise); // incompressible: git sends it chunked, well past http.postBuffer
        Files.write(dir.resolve("assets.bin"), noise);
        git.git(dir, "add", "-A").ok();
        git.git(dir, "commit", "-q", "-m", "assets").ok();

        Processes.Result push = git.git(dir, "push", url(alice, app), "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        Path clone = home.resolve("clone");
        git.git(home, "clone", "-q", url(alice, app), clone.toString()).ok();
        assertThat(Files.readAllBytes(clone.resolve("assets.bin"))).isEqualTo(noise);
        String listing = Processes.run(null, List.of("tar", "tvzf", platform.builds.received(app).get(0).archive().toString()))
                .ok().output();
        assertThat(listing).contains(String.valueOf(noise.length), "assets.bin");
    }

    @Test
    void aPushLargerThanThePackLimitIsRefusedWithAMessage() throws Exception {
        Platform.User mallory = platform.newUser();
        String app = platform.createApp(mallory);
        Path dir = git.newRepo(Map.of("package.json", "{}\n"));
        byte[] noise = new byte[(int) Platform.MAX_PACK_BYTES + 4 * 1024 * 1024];
        new java.util.Random(7).nextBytes(noise); // incompressible: the pack is as large as the file
        Files.write(dir.resolve("huge.bin"), noise);
        git.git(dir, "add", "-A").ok();
        git.git(dir, "commit", "-q", "-m", "huge").ok();

        Processes.Result push = git.git(dir, "push", url(mallory, app), "main");
        assertThat(push.exitCode()).as(push.output()).isNotZero();
        assertThat(push.output()).contains("exceeds the limit");
        assertThat(platform.builds.received(app)).as("nothing was built").isEmpty();
        // and the app still takes an ordinary push
        Path small = git.newRepo(Map.of("package.json", "{}\n"));
        Processes.Result ok = git.git(small, "push", url(mallory, app), "main");
        assertThat(ok.exitCode()).as(ok.output()).isZero();
    }

    @Test
    void withoutCredentialsGitIsChallengedAndAsksForThem() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = git.newRepo(Map.of("index.php", "<?php echo 'hi';\n"));
        Path log = home.resolve("askpass.log");
        Path askpass = home.resolve("askpass.sh");
        Files.writeString(askpass, "#!/bin/sh\necho \"$1\" >> " + log + "\ncase \"$1\" in\n"
                + "  Username*) echo heroku ;;\n  Password*) echo \"$SLIPWAY_TEST_KEY\" ;;\nesac\n");
        Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
        String plainUrl = "https://127.0.0.1:" + platform.apiPort + "/" + app + ".git";

        git.env("GIT_ASKPASS", askpass.toString()).env("SLIPWAY_TEST_KEY", alice.apiKey());
        Processes.Result push = git.git(dir, "push", plainUrl, "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        assertThat(push.output()).contains("deployed to Slipway");
        assertThat(Files.readString(log)).contains("Username for 'https://127.0.0.1:" + platform.apiPort + "'",
                "Password for 'https://heroku@127.0.0.1:" + platform.apiPort + "'");

        git.env("SLIPWAY_TEST_KEY", "HRKU-wrong");
        Processes.Result wrong = git.git(dir, "ls-remote", plainUrl);
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.output()).contains("Authentication failed");
    }

    @Test
    void anotherUsersAppIsRefusedAsIfItDidNotExist() throws Exception {
        Platform.User alice = platform.newUser();
        Platform.User mallory = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = git.newRepo(Map.of("index.php", "<?php\n"));

        Processes.Result push = git.git(dir, "push", url(mallory, app), "main");
        assertThat(push.exitCode()).isNotZero();
        // git prints a text/plain error body as "remote:" lines (trimmed), then its own verdict
        assertThat(push.output()).contains("remote: !     Couldn't find that app.", "not found");
        Processes.Result missing = git.git(dir, "push", url(mallory, "no-such-app-here"), "main");
        assertThat(missing.output()).contains("remote: !     Couldn't find that app.");
        assertThat(platform.builds.received(app)).isEmpty();
        Processes.Result clone = git.git(home, "clone", url(mallory, app), home.resolve("c").toString());
        assertThat(clone.exitCode()).isNotZero();
        assertThat(clone.output()).contains("Couldn't find that app.");
    }

    @Test
    void onlyMainOrMasterDeploysAndNothingIsDeleted() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = git.newRepo(Map.of("index.php", "<?php\n"));
        git.git(dir, "branch", "feature").ok();

        Processes.Result feature = git.git(dir, "push", url(alice, app), "feature");
        assertThat(feature.exitCode()).isNotZero();
        assertThat(feature.output()).contains("remote:  !     Push rejected: feature is not a deploy branch. Only the main "
                + "or master branch deploys.", "feature -> feature (only main or master can be pushed)");
        assertThat(git.remoteHead(dir, url(alice, app), "feature")).isNull();
        assertThat(platform.builds.received(app)).isEmpty();

        git.git(dir, "push", url(alice, app), "main").ok();
        Processes.Result delete = git.git(dir, "push", url(alice, app), ":main");
        assertThat(delete.exitCode()).isNotZero();
        assertThat(delete.output()).contains("Deleting main is not supported.");
        assertThat(git.remoteHead(dir, url(alice, app), "main")).isEqualTo(git.head(dir));

        // master deploys too; the clone's HEAD keeps pointing at main, which exists
        Processes.Result master = git.git(dir, "push", url(alice, app), "main:master");
        assertThat(master.exitCode()).as(master.output()).isZero();
        assertThat(master.output()).contains("deployed to Slipway");
    }

    @Test
    void aFirstPushToMasterMakesMasterTheBranchAClonesChecksOut() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = git.newRepo(Map.of("index.php", "<?php\n"));
        git.git(dir, "push", url(alice, app), "main:master").ok();
        Path clone = home.resolve("clone");
        Processes.Result cloned = git.git(home, "clone", url(alice, app), clone.toString());
        assertThat(cloned.output()).doesNotContain("remote HEAD refers to nonexistent ref");
        assertThat(git.git(clone, "rev-parse", "--abbrev-ref", "HEAD").ok().output().trim()).isEqualTo("master");
        assertThat(clone.resolve("index.php")).exists();
    }

    @Test
    void aFailedBuildRejectsThePushAndTheBranchStaysWhereItWas() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = git.newRepo(Map.of("package.json", "{}\n"));
        git.git(dir, "push", url(alice, app), "main").ok();
        String good = git.head(dir);

        platform.builds.script(app, ScriptedBuilds.Script.fail());
        git.commit(dir, "index.js", "syntax error(\n", "broken");
        Processes.Result push = git.git(dir, "push", url(alice, app), "main");
        assertThat(push.exitCode()).isNotZero();
        assertThat(push.output()).contains("remote:        npm ERR! Missing script: \"build\"",
                "remote:  !     Push rejected, failed to compile Node.js app.", "remote:  !     Push failed",
                "[remote rejected] main -> main (pre-receive hook declined)")
                .doesNotContain("Launching", "deployed to Slipway");
        assertThat(git.remoteHead(dir, url(alice, app), "main")).isEqualTo(good);

        // fixed: the same commit range pushes fine
        platform.builds.script(app, ScriptedBuilds.Script.succeed());
        String fixed = git.commit(dir, "index.js", "ok()\n", "fixed");
        git.git(dir, "push", url(alice, app), "main").ok();
        assertThat(git.remoteHead(dir, url(alice, app), "main")).isEqualTo(fixed);
    }

    @Test
    void aForcedPushIsAcceptedAndAnUnforcedNonFastForwardIsNot() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = git.newRepo(Map.of("a.txt", "1\n"));
        git.commit(dir, "a.txt", "2\n", "second");
        git.git(dir, "push", url(alice, app), "main").ok();

        git.git(dir, "reset", "-q", "--hard", "HEAD~1").ok();
        String rewritten = git.commit(dir, "b.txt", "other\n", "rewritten history");
        Processes.Result plain = git.git(dir, "push", url(alice, app), "main");
        assertThat(plain.exitCode()).isNotZero();
        assertThat(plain.output()).contains("[rejected]", "main -> main");
        assertThat(plain.output()).doesNotContain("Building source");

        Processes.Result forced = git.git(dir, "push", "-f", url(alice, app), "main");
        assertThat(forced.exitCode()).as(forced.output()).isZero();
        assertThat(forced.output()).contains("deployed to Slipway", "(forced update)");
        assertThat(git.remoteHead(dir, url(alice, app), "main")).isEqualTo(rewritten);
    }

    @Test
    void aSecondConcurrentPushIsRefusedAndTheRepositoryStaysIntact() throws Exception {
        Platform.User alice = platform.newUser();
        String app = platform.createApp(alice);
        Path first = git.newRepo(Map.of("a.txt", "1\n"));
        String firstCommit = git.head(first);
        Path second = home.resolve("second");
        Files.createDirectories(second);
        git.git(second, "init", "-q", "-b", "main").ok();
        String secondCommit = git.commit(second, "b.txt", "2\n", "unrelated");

        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        platform.builds.script(app, ScriptedBuilds.Script.succeed().blocking(started, proceed));
        CompletableFuture<Processes.Result> slow = CompletableFuture.supplyAsync(() -> git.git(first, "push", url(alice, app), "main"));
        assertThat(started.await(60, TimeUnit.SECONDS)).as("first push reached its build").isTrue();

        Processes.Result concurrent = git.git(second, "push", url(alice, app), "main");
        assertThat(concurrent.exitCode()).isNotZero();
        assertThat(concurrent.output()).contains("remote:  !     Another push to " + app
                + " is in progress; try again when it finishes.", "another push is in progress");

        proceed.countDown();
        Processes.Result done = slow.get(120, TimeUnit.SECONDS);
        assertThat(done.exitCode()).as(done.output()).isZero();
        assertThat(platform.builds.received(app)).extracting(ScriptedBuilds.Received::commit).containsExactly(firstCommit);

        Path mirror = home.resolve("mirror.git");
        git.git(home, "clone", "-q", "--mirror", url(alice, app), mirror.toString()).ok();
        git.git(mirror, "fsck", "--full", "--strict").ok();
        assertThat(git.git(mirror, "rev-parse", "refs/heads/main").ok().output().trim()).isEqualTo(firstCommit);

        // once the first push is done, the lock is free again
        platform.builds.script(app, ScriptedBuilds.Script.succeed());
        git.git(second, "push", "-f", url(alice, app), "main").ok();
        assertThat(git.remoteHead(second, url(alice, app), "main")).isEqualTo(secondCommit);
    }

    @Test
    void aCollaboratorClonesAndFetches() throws Exception {
        Platform.User alice = platform.newUser();
        Platform.User bob = platform.newUser();
        String app = platform.createApp(alice);
        Path dir = git.newRepo(Map.of("index.php", "<?php echo 1;\n"));
        git.git(dir, "push", url(alice, app), "main").ok();
        platform.call(alice, "POST", "/apps/" + app + "/collaborators", "{\"user\":\"" + bob.email() + "\"}", 201);

        Path clone = home.resolve("bobs");
        Processes.Result cloned = git.git(home, "clone", url(bob, app), clone.toString());
        assertThat(cloned.exitCode()).as(cloned.output()).isZero();
        assertThat(Files.readString(clone.resolve("index.php"))).contains("echo 1");

        String next = git.commit(dir, "index.php", "<?php echo 2;\n", "two");
        git.git(dir, "push", url(alice, app), "main").ok();
        git.git(clone, "pull", "-q", "--ff-only").ok();
        assertThat(git.head(clone)).isEqualTo(next);

        // and collaborators push like the owner
        String bobs = git.commit(clone, "index.php", "<?php echo 3;\n", "bob's");
        Processes.Result push = git.git(clone, "push", "origin", "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        assertThat(git.remoteHead(clone, url(alice, app), "main")).isEqualTo(bobs);
    }
}

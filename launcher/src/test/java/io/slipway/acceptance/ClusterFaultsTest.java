package io.slipway.acceptance;

import static io.slipway.acceptance.ClusterFaultBench.CONVERGE;
import static io.slipway.acceptance.ClusterFaultBench.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.cluster.Cluster;
import io.slipway.launcher.cluster.ClusterHome;
import io.slipway.shared.testing.ScratchDirs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Every fault of issue 9 on a real cluster ({@code ./slipway cluster up --agents 3}: each component its own process
 * in its own network namespace, HAProxy in front), one after the other, while a load generator requests an app with
 * four web dynos through the balancer the whole time. Correctness is asserted (every dyno back, no release left
 * half done, the repository intact, the app serving after each fault); timings and failed requests are measured and
 * printed (and kept in target/cluster-faults.md) for docs/benchmarks.md, never asserted. A replica is killed while
 * it certainly carries the work: the balancer first sends every new connection to it ({@link
 * ClusterFaultBench#onlyThrough}), then takes the other back just before the kill.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final int WEB = 4;
    private ClusterFaultBench bench;
    private Cluster cluster;
    private HerokuCli cli;
    private Path repo;
    private final String app = "flt-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void up() throws Exception {
        String missing = ClusterHome.missing();
        assumeTrue(missing == null, "a cluster cannot run here: " + missing);
        assumeTrue(TestHost.onPath("node"), "needs the stack's (this host's) Node.js");
        // readable by the hosts' own users (PostgreSQL runs as postgres): a temporary directory is 700 by default
        Path top = scratch.create("slipway-faults-test",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        cluster = Cluster.up(top.resolve("cluster"), 3);
        cli = HerokuCli.forPlatform(cluster.apiUrl(), cluster.adminApiKey(), cluster.caCert());
        bench = new ClusterFaultBench(cluster, cli, app, WEB);
        repo = scratch.create("faults-repo");
        TestHost.write(repo, RuntimeApps.node("faults-one"));
        TestHost.git(repo, "init", "-q", "-b", "main", ".");
        TestHost.commit(repo, "first");
        cli.run(repo, null, 120, "apps:create", app).ok();
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        cli.run("ps:scale", "web=" + WEB, "-a", app).ok();
        bench.awaitAllWebUp("the first deploy");
        new RouterClient(cluster.appsPort()).awaitOk(app, CONVERGE);
        bench.load = new LoadGenerator(cluster.appsPort(), app, 2);
    }

    /** Each fault starts on a whole cluster, also after a fault that failed halfway. */
    @AfterEach
    void wholeAgain() {
        if (bench == null) return;
        bench.everyReplicaReady();
        for (String host : cluster.hostNames()) cluster.start(host); // only what is down
    }

    @AfterAll
    void down() throws Exception {
        if (bench != null && bench.load != null) bench.load.close();
        if (bench != null) bench.writeResults();
        if (cluster != null) cluster.close();
    }

    // ---- the faults, in order ----------------------------------------------------------------------------------

    @Test
    @Order(10)
    void anAgentHostKilledItsWebDynosComeBackOnTheOthers() throws Exception {
        Map<String, Integer> before = cluster.webDynosPerAgent(app);
        String victim = before.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        long t0 = System.currentTimeMillis();
        cluster.kill9(victim);
        awaitTrue("web dynos back on the other agents", () -> {
            Map<String, Integer> now = cluster.webDynosPerAgent(app);
            return now.getOrDefault(victim, 0) == 0 && now.values().stream().mapToInt(Integer::intValue).sum() == WEB
                    && bench.upCount() == WEB;
        });
        long t1 = System.currentTimeMillis();
        new RouterClient(cluster.appsPort()).awaitOk(app, CONVERGE);
        bench.record("kill -9 of a dyno-agent host (" + before.get(victim) + " of " + WEB + " web dynos on it)", t0, t1,
                "all " + WEB + " web dynos up on the other agents after");
        cluster.start(victim); // back for the next faults: it registers, finds nothing assigned, cleans up
    }

    @Test
    @Order(20)
    void anApiReplicaKilledMidPushThePushIsAnsweredOrRetriedAndNoReleaseIsHalfDone() throws Exception {
        TestHost.write(repo, Map.of("server.js", RuntimeApps.node("faults-two").get("server.js")));
        TestHost.commit(repo, "second");
        bench.onlyThrough("api-1"); // the push's connection, and the gateway's and worker's calls, on the victim
        CompletableFuture<HerokuCli.Result> push = bench.pushInBackground(repo);
        awaitTrue("a build running", () -> bench.latestBuildStatus().equals("pending") || push.isDone());
        assumeTrue(!push.isDone(), () -> "the push finished before the replica could be killed: " + push.join().output());
        bench.everyReplicaReady();
        long t0 = System.currentTimeMillis();
        cluster.kill9("api-1");
        // the CLI keeps working through the other replica
        HerokuCli.Result config = cli.run("config:set", "FAULT_MARK=1", "-a", app);
        assertEquals(0, config.exitCode(), config.output());
        HerokuCli.Result pushed = push.get();
        if (pushed.exitCode() != 0) { // cut mid-stream: the retry must work
            // The gateway's side of the cut push goes on (its build too) and holds the app's push lock until it
            // ends, so a retry at once is told, as a user would be, "Another push ... try again when it finishes".
            HerokuCli.Result retry = bench.pushUntilNoOtherIsInProgress(repo, CONVERGE);
            assertEquals(0, retry.exitCode(), retry.output());
        }
        new RouterClient(cluster.appsPort()).awaitBody(app, "faults-two", CONVERGE);
        bench.awaitNoPendingRelease();
        long t1 = System.currentTimeMillis();
        bench.record("kill -9 of the api-server replica carrying a `git push` (push " + (pushed.exitCode() == 0
                ? "completed" : "cut, retried") + ")", t0, t1, "until the new code served");
        cluster.start("api-1");
        bench.awaitAllWebUp("after the replica kill");
    }

    @Test
    @Order(22)
    void anApiReplicaKilledMidDeployTheRolloutCompletes() throws Exception {
        JsonNode existing = bench.releases();
        JsonNode first = null; // the first deploy: its code answers "faults-one"
        for (JsonNode r : existing) if (first == null && r.path("description").asText().startsWith("Deploy")) first = r;
        assertTrue(first != null, "the first deploy's release: " + existing);
        int before = existing.size();
        bench.onlyThrough("api-1");
        long t0 = System.currentTimeMillis();
        HerokuCli.Result rollback = cli.run("rollback", "v" + first.path("version").asInt(), "-a", app);
        bench.everyReplicaReady();
        cluster.kill9("api-1"); // the release exists, its dynos are being replaced
        assertEquals(0, rollback.exitCode(), rollback.output());
        awaitTrue("the releases readable through the other replica", () -> bench.releases().size() > before);
        JsonNode releases = bench.releases();
        assertEquals(before + 1, releases.size(), "exactly one new release: " + releases);
        int version = releases.path(releases.size() - 1).path("version").asInt();
        bench.awaitAllWebOn(version);
        new RouterClient(cluster.appsPort()).awaitBody(app, "faults-one", CONVERGE);
        bench.awaitNoPendingRelease();
        long t1 = System.currentTimeMillis();
        bench.record("kill -9 of the api-server replica that made a release (a rollback), mid-rollout", t0, t1,
                "until all " + WEB + " web dynos were up on it");
        cluster.start("api-1");
    }

    @Test
    @Order(24)
    void anApiReplicaKilledMidRunTheSessionEndsTheDynoGoesAndTheNextRunWorks() throws Exception {
        bench.onlyThrough("api-1"); // the CLI's and the dyno's halves of the rendezvous both on the victim
        Path out = Files.createTempFile("faults-run", ".out");
        // no "$" in it: the CLI sends the arguments as one double-quoted command line, which the dyno's shell expands
        Process run = cli.processBuilder("run", "-a", app, "--", "sh", "-c", "while true; do echo tick; sleep 1; done")
                .redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        try {
            awaitTrue("the one-off dyno's output reaches the CLI", () -> ticks(out) >= 3 || !run.isAlive());
            assertTrue(run.isAlive(), "the session ended before the kill: " + read(out));
            bench.everyReplicaReady();
            long t0 = System.currentTimeMillis();
            cluster.kill9("api-1");
            awaitTrue("the cut session ends the CLI", () -> !run.isAlive());
            long ended = System.currentTimeMillis();
            awaitTrue("the one-off dyno of the cut session stopped", () -> !bench.anyOneOffDyno());
            long gone = System.currentTimeMillis();
            HerokuCli.Result again = cli.run(null, null, 120, "run", "-x", "-a", app, "--", "echo", "after-the-kill").ok();
            assertTrue(again.stdout().contains("after-the-kill"), again.output());
            bench.record("kill -9 of the api-server replica carrying a `heroku run`", t0, System.currentTimeMillis(),
                    "until a new `heroku run` answered; the CLI's session ended after " + (ended - t0) / 1000.0
                            + " s (exit " + run.exitValue() + "), its dyno was gone after " + (gone - t0) / 1000.0 + " s");
        } finally {
            run.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    private static long ticks(Path out) {
        return read(out).lines().filter(l -> l.trim().equals("tick")).count();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    @Order(30)
    void everyApiServerDownForAMinuteAppsKeepServingAndAllComesBack() throws Exception {
        String psBefore = bench.upSince();
        long t0 = System.currentTimeMillis();
        cluster.kill9("api-1");
        cluster.kill9("api-2");
        Thread.sleep(60_000); // the outage itself
        long restart = System.currentTimeMillis();
        // both at once, as an operator's restart would: each start waits until its replica answers
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> cluster.start("api-1"));
        cluster.start("api-2");
        first.get();
        long back = System.currentTimeMillis();
        awaitTrue("the CLI answers", () -> bench.run("ps", "-a", app).exitCode() == 0);
        bench.awaitAllWebUp("after the api-servers came back");
        assertEquals(psBefore, bench.upSince(), "the agents kept their dynos: none was restarted or moved");
        // followers reconnect: a change made now reaches the agents and the routers
        cli.run("config:set", "AFTER_OUTAGE=1", "-a", app).ok();
        bench.awaitAllWebUp("after a config change following the outage");
        long t1 = System.currentTimeMillis();
        bench.record("every api-server killed, restarted after 60 s", t0, back, "until both answered again (their start "
                + (back - restart) / 1000 + " s); no dyno restarted or moved; a change after it deployed in "
                + (t1 - back) / 1000 + " s");
        assertEquals(0, bench.load.failures(t0, back), "apps keep serving while every api-server is down: "
                + bench.load.reasons(t0, back));
    }

    @Test
    @Order(40)
    void postgresRestartedEverythingRecovers() throws Exception {
        long t0 = System.currentTimeMillis();
        cluster.restartPostgres();
        awaitTrue("the API answers", () -> bench.run("releases", "-a", app).exitCode() == 0);
        long t1 = System.currentTimeMillis();
        cli.run("config:set", "AFTER_PG=1", "-a", app).ok();
        bench.awaitAllWebUp("after the PostgreSQL restart");
        bench.record("PostgreSQL restarted", t0, t1, "until the API answered again");
    }

    @Test
    @Order(50)
    void theStorageHostCutFor30sEverythingRecovers() throws Exception {
        long t0 = System.currentTimeMillis();
        cluster.cutLink("storage"); // PostgreSQL and the object store together: the cluster has them on one host
        Thread.sleep(30_000); // the outage itself
        cluster.restoreLink("storage");
        long restored = System.currentTimeMillis();
        awaitTrue("the API answers", () -> bench.run("releases", "-a", app).exitCode() == 0);
        // the store works again: a push uploads its source and slug, the agents download the new slug
        TestHost.write(repo, Map.of("server.js", RuntimeApps.node("faults-three").get("server.js")));
        TestHost.commit(repo, "third");
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        new RouterClient(cluster.appsPort()).awaitBody(app, "faults-three", CONVERGE);
        long t1 = System.currentTimeMillis();
        bench.record("storage host (PostgreSQL + object store) cut 30 s", t0, restored,
                "a push after it served in " + (t1 - restored) / 1000 + " s");
        assertEquals(0, bench.load.failures(t0, restored), "apps keep serving while the storage is away: "
                + bench.load.reasons(t0, restored));
    }

    @Test
    @Order(60)
    void aBuildWorkerKilledMidBuildTheBuildIsRetriedAndThePushAnswered() throws Exception {
        TestHost.write(repo, Map.of("server.js", RuntimeApps.node("faults-four").get("server.js")));
        TestHost.commit(repo, "fourth");
        Map<String, Long> baseline = new LinkedHashMap<>();
        for (String host : List.of("build-1", "build-2")) baseline.put(host, bench.claims(host));
        CompletableFuture<HerokuCli.Result> push = bench.pushInBackground(repo);
        String[] worker = new String[1];
        awaitTrue("a worker claimed the build", () -> {
            for (String host : baseline.keySet()) if (bench.claims(host) > baseline.get(host)) worker[0] = host;
            return worker[0] != null || push.isDone();
        });
        assumeTrue(worker[0] != null, "the build finished before a worker could be killed");
        long t0 = System.currentTimeMillis();
        cluster.kill9(worker[0]);
        HerokuCli.Result pushed = push.get();
        long t1 = System.currentTimeMillis();
        boolean retried = pushed.output().contains("Build worker lost");
        assertTrue(pushed.exitCode() == 0 || pushed.output().contains("Build worker lost twice"), pushed.output());
        cluster.start(worker[0]);
        if (pushed.exitCode() != 0) {
            HerokuCli.Result again = cli.git(repo, "push", "heroku", "main");
            assertEquals(0, again.exitCode(), again.output());
        }
        new RouterClient(cluster.appsPort()).awaitBody(app, "faults-four", CONVERGE);
        bench.awaitNoPendingRelease();
        bench.record("kill -9 of the build-worker running a build", t0, t1, "until the push answered ("
                + (pushed.exitCode() == 0 ? "succeeded" : "failed") + (retried ? ", retried on the other worker" : "") + ")");
    }

    @Test
    @Order(70)
    void theGitGatewayKilledMidPushTheRepositoryIsIntactAndTheNextPushWorks() throws Exception {
        String before = cli.git(repo, "rev-parse", "HEAD").stdout().trim();
        TestHost.write(repo, Map.of("server.js", RuntimeApps.node("faults-five").get("server.js")));
        TestHost.commit(repo, "fifth");
        CompletableFuture<HerokuCli.Result> push = bench.pushInBackground(repo);
        awaitTrue("a build running", () -> bench.latestBuildStatus().equals("pending") || push.isDone());
        long t0 = System.currentTimeMillis();
        cluster.kill9("git");
        HerokuCli.Result cut = push.get();
        cluster.start("git");
        String remote = cli.git(repo, "ls-remote", "heroku", "refs/heads/main").stdout().trim();
        assertTrue(cut.exitCode() != 0 ? remote.startsWith(before) : true, "the stored main is the previous one: "
                + remote);
        Path clone = scratch.create("faults-clone").resolve("c");
        HerokuCli.Result cloned = cli.git(repo, "clone", "-q", cluster.apiUrl() + "/" + app + ".git", clone.toString());
        assertEquals(0, cloned.exitCode(), cloned.output());
        assertEquals(0, cli.git(clone, "fsck", "--full").exitCode(), "every object of the stored repository is there");
        // the dead gateway's push lock lapses within 60 s
        HerokuCli.Result again = bench.pushUntilNoOtherIsInProgress(repo, Duration.ofSeconds(150));
        long t1 = System.currentTimeMillis();
        assertEquals(0, again.exitCode(), again.output());
        new RouterClient(cluster.appsPort()).awaitBody(app, "faults-five", CONVERGE);
        bench.record("kill -9 of the git-gateway mid-push", t0, t1, "until a new push succeeded");
    }

    @Test
    @Order(80)
    void aRouterKilledTheOtherServesAndARestartedOneServesAtOnce() throws Exception {
        long t0 = System.currentTimeMillis();
        cluster.kill9("router-1");
        Thread.sleep(5_000); // requests keep coming meanwhile
        cluster.start("router-1");
        long t1 = System.currentTimeMillis();
        // straight to the restarted router, not through the balancer: its first request is served. Cluster routers
        // take connections from the balancer only, each opened by a PROXY protocol header, so this one sends it (v1).
        String router = cluster.address("router-1");
        String status;
        try (Socket socket = new Socket(router, 8080)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("PROXY TCP4 192.0.2.1 " + router + " 40000 8080\r\n"
                    + "GET / HTTP/1.1\r\nHost: " + app + ".localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
        assertTrue(status != null && status.startsWith("HTTP/1.1 200"), "the restarted router's first answer: " + status);
        bench.record("kill -9 of one router (restarted after 5 s)", t0, t1, "first request to the restarted router: "
                + status);
    }

}

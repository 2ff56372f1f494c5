package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.cluster.Cluster;
import io.slipway.launcher.cluster.ClusterHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every fault of issue 9 on a real cluster ({@code ./slipway cluster up --agents 3}: each component its own process
 * in its own network namespace, HAProxy in front), one after the other, while a load generator requests an app with
 * four web dynos through the balancer the whole time. Correctness is asserted (every dyno back, no release left
 * half done, the repository intact, the app serving after each fault); timings and failed requests are measured and
 * printed (and kept in target/cluster-faults.md) for docs/benchmarks.md, never asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsTest {
    private static final Duration CONVERGE = Duration.ofSeconds(240);
    private static final int WEB = 4;
    private final Map<String, String> results = new LinkedHashMap<>();
    private Cluster cluster;
    private HerokuCli cli;
    private LoadGenerator load;
    private Path repo;
    private final String app = "flt-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void up() throws Exception {
        String missing = ClusterHome.missing();
        assumeTrue(missing == null, "a cluster cannot run here: " + missing);
        assumeTrue(TestHost.onPath("node"), "needs the stack's (this host's) Node.js");
        // readable by the hosts' own users (PostgreSQL runs as postgres): a temporary directory is 700 by default
        Path top = Files.createTempDirectory("slipway-faults-test",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        cluster = Cluster.up(top.resolve("cluster"), 3);
        cli = HerokuCli.forPlatform(cluster.apiUrl(), cluster.adminApiKey(), cluster.caCert());
        repo = Files.createTempDirectory("faults-repo");
        TestHost.write(repo, RuntimeApps.node("faults-one"));
        TestHost.git(repo, "init", "-q", "-b", "main", ".");
        TestHost.commit(repo, "first");
        cli.run(repo, null, 120, "apps:create", app).ok();
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        cli.run("ps:scale", "web=" + WEB, "-a", app).ok();
        awaitAllWebUp("the first deploy");
        new RouterClient(cluster.appsPort()).awaitOk(app, CONVERGE);
        load = new LoadGenerator(cluster.appsPort(), app, 2);
    }

    @AfterAll
    void down() throws Exception {
        if (load != null) load.close();
        if (!results.isEmpty()) {
            StringBuilder b = new StringBuilder("| fault | measured |\n|---|---|\n");
            results.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            System.out.println("Faults on the cluster:\n" + b);
            Path out = Path.of("target", "cluster-faults.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, b.toString());
        }
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
                    && upCount() == WEB;
        });
        long t1 = System.currentTimeMillis();
        new RouterClient(cluster.appsPort()).awaitOk(app, CONVERGE);
        record("kill -9 of a dyno-agent host (" + before.get(victim) + " of " + WEB + " web dynos on it)", t0, t1,
                "all " + WEB + " web dynos up on the other agents after");
        cluster.start(victim); // back for the next faults: it registers, finds nothing assigned, cleans up
    }

    @Test
    @Order(20)
    void anApiReplicaKilledMidPushTheCliKeepsWorkingAndNoReleaseIsHalfDone() throws Exception {
        TestHost.write(repo, Map.of("server.js", RuntimeApps.node("faults-two").get("server.js")));
        TestHost.commit(repo, "second");
        CompletableFuture<HerokuCli.Result> push = pushInBackground();
        awaitTrue("a build running", () -> latestBuildStatus().equals("pending") || push.isDone());
        long t0 = System.currentTimeMillis();
        cluster.kill9("api-1");
        // the CLI keeps working through the other replica
        HerokuCli.Result config = cli.run("config:set", "FAULT_MARK=1", "-a", app);
        assertEquals(0, config.exitCode(), config.output());
        HerokuCli.Result pushed = push.get();
        if (pushed.exitCode() != 0) { // cut mid-stream: the retry must work
            HerokuCli.Result retry = cli.git(repo, "push", "heroku", "main");
            assertEquals(0, retry.exitCode(), retry.output());
        }
        new RouterClient(cluster.appsPort()).awaitBody(app, "faults-two", CONVERGE);
        awaitNoPendingRelease();
        long t1 = System.currentTimeMillis();
        record("kill -9 of one api-server replica mid-`git push` (push " + (pushed.exitCode() == 0 ? "completed"
                : "cut, retried") + ")", t0, t1, "until the new code served");
        cluster.start("api-1");
        awaitAllWebUp("after the replica kill");
    }

    @Test
    @Order(30)
    void everyApiServerDownForAMinuteAppsKeepServingAndAllComesBack() throws Exception {
        String psBefore = upSince();
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
        awaitTrue("the CLI answers", () -> run("ps", "-a", app).exitCode() == 0);
        awaitAllWebUp("after the api-servers came back");
        assertEquals(psBefore, upSince(), "the agents kept their dynos: none was restarted or moved");
        // followers reconnect: a change made now reaches the agents and the routers
        cli.run("config:set", "AFTER_OUTAGE=1", "-a", app).ok();
        awaitAllWebUp("after a config change following the outage");
        long t1 = System.currentTimeMillis();
        record("every api-server killed, restarted after 60 s", t0, back, "until both answered again (their start "
                + (back - restart) / 1000 + " s); no dyno restarted or moved; a change after it deployed in "
                + (t1 - back) / 1000 + " s");
        assertEquals(0, load.failures(t0, back), "apps keep serving while every api-server is down: "
                + load.reasons(t0, back));
    }

    @Test
    @Order(40)
    void postgresRestartedEverythingRecovers() throws Exception {
        long t0 = System.currentTimeMillis();
        cluster.restartPostgres();
        awaitTrue("the API answers", () -> run("releases", "-a", app).exitCode() == 0);
        long t1 = System.currentTimeMillis();
        cli.run("config:set", "AFTER_PG=1", "-a", app).ok();
        awaitAllWebUp("after the PostgreSQL restart");
        record("PostgreSQL restarted", t0, t1, "until the API answered again");
    }

    @Test
    @Order(50)
    void theStorageHostCutFor30sEverythingRecovers() throws Exception {
        long t0 = System.currentTimeMillis();
        cluster.cutLink("storage"); // PostgreSQL and the object store together: the cluster has them on one host
        Thread.sleep(30_000); // the outage itself
        cluster.restoreLink("storage");
        long restored = System.currentTimeMillis();
        awaitTrue("the API answers", () -> run("releases", "-a", app).exitCode() == 0);
        // the store works again: a push uploads its source and slug, the agents download the new slug
        TestHost.write(repo, Map.of("server.js", RuntimeApps.node("faults-three").get("server.js")));
        TestHost.commit(repo, "third");
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        new RouterClient(cluster.appsPort()).awaitBody(app, "faults-three", CONVERGE);
        long t1 = System.currentTimeMillis();
        record("storage host (PostgreSQL + object store) cut 30 s", t0, restored,
                "a push after it served in " + (t1 - restored) / 1000 + " s");
        assertEquals(0, load.failures(t0, restored), "apps keep serving while the storage is away: "
                + load.reasons(t0, restored));
    }

    @Test
    @Order(60)
    void aBuildWorkerKilledMidBuildTheBuildIsRetriedAndThePushAnswered() throws Exception {
        TestHost.write(repo, Map.of("server.js", RuntimeApps.node("faults-four").get("server.js")));
        TestHost.commit(repo, "fourth");
        Map<String, Long> baseline = new LinkedHashMap<>();
        for (String host : List.of("build-1", "build-2")) baseline.put(host, claims(host));
        CompletableFuture<HerokuCli.Result> push = pushInBackground();
        String[] worker = new String[1];
        awaitTrue("a worker claimed the build", () -> {
            for (String host : baseline.keySet()) if (claims(host) > baseline.get(host)) worker[0] = host;
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
        awaitNoPendingRelease();
        record("kill -9 of the build-worker running a build", t0, t1, "until the push answered ("
                + (pushed.exitCode() == 0 ? "succeeded" : "failed") + (retried ? ", retried on the other worker" : "") + ")");
    }

    @Test
    @Order(70)
    void theGitGatewayKilledMidPushTheRepositoryIsIntactAndTheNextPushWorks() throws Exception {
        String before = cli.git(repo, "rev-parse", "HEAD").stdout().trim();
        TestHost.write(repo, Map.of("server.js", RuntimeApps.node("faults-five").get("server.js")));
        TestHost.commit(repo, "fifth");
        CompletableFuture<HerokuCli.Result> push = pushInBackground();
        awaitTrue("a build running", () -> latestBuildStatus().equals("pending") || push.isDone());
        long t0 = System.currentTimeMillis();
        cluster.kill9("git");
        HerokuCli.Result cut = push.get();
        cluster.start("git");
        String remote = cli.git(repo, "ls-remote", "heroku", "refs/heads/main").stdout().trim();
        assertTrue(cut.exitCode() != 0 ? remote.startsWith(before) : true, "the stored main is the previous one: "
                + remote);
        Path clone = Files.createTempDirectory("faults-clone").resolve("c");
        HerokuCli.Result cloned = cli.git(repo, "clone", "-q", cluster.apiUrl() + "/" + app + ".git", clone.toString());
        assertEquals(0, cloned.exitCode(), cloned.output());
        assertEquals(0, cli.git(clone, "fsck", "--full").exitCode(), "every object of the stored repository is there");
        HerokuCli.Result again;
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        do { // the dead gateway's push lock lapses within 60 s
            again = cli.git(repo, "push", "heroku", "main");
            if (again.exitCode() == 0 || !again.output().contains("Another push")) break;
            Thread.sleep(3_000);
        } while (System.nanoTime() < deadline);
        long t1 = System.currentTimeMillis();
        assertEquals(0, again.exitCode(), again.output());
        new RouterClient(cluster.appsPort()).awaitBody(app, "faults-five", CONVERGE);
        record("kill -9 of the git-gateway mid-push", t0, t1, "until a new push succeeded");
    }

    @Test
    @Order(80)
    void aRouterKilledTheOtherServesAndARestartedOneServesAtOnce() throws Exception {
        long t0 = System.currentTimeMillis();
        cluster.kill9("router-1");
        Thread.sleep(5_000); // requests keep coming meanwhile
        cluster.start("router-1");
        long t1 = System.currentTimeMillis();
        // straight to the restarted router, not through the balancer: its first request is served
        var first = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + cluster.address("router-1") + ":8080/")).header("Host",
                        app + ".localhost").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, first.statusCode(), first.body());
        record("kill -9 of one router (restarted after 5 s)", t0, t1, "first request to the restarted router: "
                + first.statusCode());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private void record(String fault, long t0, long t1, String detail) {
        String line = String.format("%.1f s %s; %d failed of %d requests in that window%s", (t1 - t0) / 1000.0, detail,
                load.failures(t0, t1), load.total(t0, t1), load.failures(t0, t1) > 0 ? " " + load.reasons(t0, t1) : "");
        results.put(fault, line);
        System.out.println("FAULT " + fault + ": " + line);
        try { // as it comes, so a run cut short still tells what it measured
            Path out = Path.of("target", "cluster-faults.log");
            Files.createDirectories(out.getParent());
            Files.writeString(out, java.time.Instant.now() + " " + fault + ": " + line + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            System.out.println("cannot write target/cluster-faults.log: " + e);
        }
    }

    private HerokuCli.Result run(String... args) {
        try {
            return cli.run(args);
        } catch (Exception e) {
            return new HerokuCli.Result(1, "", e.toString());
        }
    }

    private long upCount() {
        HerokuCli.Result ps = run("ps", "-a", app);
        return ps.exitCode() != 0 ? -1 : ps.stdout().lines().filter(l -> l.matches("web\\.\\d+: up .*")).count();
    }

    /** The ps lines of the web dynos without the "(~ 2m ago)" part: unchanged when no dyno restarted. */
    private String upSince() {
        return run("ps", "-a", app).stdout().lines().filter(l -> l.startsWith("web."))
                .map(l -> l.replaceAll("\\s*\\(~.*\\)$", "")).sorted().reduce("", (a, b) -> a + b + "\n");
    }

    private void awaitAllWebUp(String when) throws Exception {
        awaitTrue(WEB + " web dynos up " + when, () -> upCount() == WEB);
    }

    private String latestBuildStatus() {
        try {
            var http = java.net.http.HttpClient.newBuilder().sslContext(io.slipway.launcher.CaTrust.sslContext(cluster.caCert())).build();
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.apiUrl() + "/apps/" + app + "/builds"))
                    .header("Accept", "application/vnd.heroku+json; version=3")
                    .header("Authorization", "Bearer " + cluster.adminApiKey())
                    .header("Range", "created_at; order=desc, max=1").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            var m = java.util.regex.Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"").matcher(r.body());
            return m.find() ? m.group(1) : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** How many builds of this app the host's build-worker has claimed so far (its log). */
    private long claims(String host) {
        try {
            return Files.readAllLines(cluster.dir().resolve("logs").resolve(host + ".build-worker.log")).stream()
                    .filter(l -> l.contains("claimed build") && l.contains(app)).count();
        } catch (Exception e) {
            return 0;
        }
    }

    private void awaitNoPendingRelease() throws Exception {
        awaitTrue("every release succeeded or failed", () -> {
            HerokuCli.Result r = run("releases", "-a", app, "--json");
            return r.exitCode() == 0 && !r.stdout().contains("\"pending\"");
        });
    }

    private void awaitTrue(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(1_000);
        }
        throw new AssertionError(what + " within " + CONVERGE);
    }

    /** {@code git push heroku main} on another thread, so a fault can hit it midway. */
    private CompletableFuture<HerokuCli.Result> pushInBackground() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cli.git(repo, "push", "heroku", "main");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}

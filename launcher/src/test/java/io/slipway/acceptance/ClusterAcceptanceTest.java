package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.cluster.Cluster;
import io.slipway.launcher.cluster.ClusterHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The platform as a real multi-host cluster on this machine ({@code ./slipway cluster up --agents 3}: every
 * component its own process in its own network namespace, started from the deploy/ env files, HAProxy in front),
 * driven with the stock CLI and real {@code git push} through the balancer: create, push, serve through the
 * routers, scale to six web dynos spread over the three agents, logs, run, rollback; then {@code down} leaves
 * nothing in the machine's namespaces. One cluster for the class: it takes a minute or more to start on 2 cores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterAcceptanceTest {
    private static final Duration DEPLOY = Duration.ofSeconds(180);
    private Cluster cluster;
    private HerokuCli cli;
    private RouterClient apps;
    private Path repo;
    private final String app = "clu-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void up() throws Exception {
        String missing = ClusterHome.missing();
        assumeTrue(missing == null, "a cluster cannot run here: " + missing);
        assumeTrue(TestHost.onPath("node"), "needs the stack's (this host's) Node.js");
        // PostgreSQL runs as postgres below it: the temporary directory (700) must let it through
        Path tmp = Files.createTempDirectory("slipway-cluster-test");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        cluster = Cluster.up(tmp.resolve("cluster"), 3);
        cli = HerokuCli.forPlatform(cluster.apiUrl(), cluster.adminApiKey(), cluster.caCert());
        apps = new RouterClient(cluster.appsPort());
        repo = Files.createTempDirectory("cluster-repo");
        TestHost.write(repo, RuntimeApps.node("cluster-one"));
        TestHost.git(repo, "init", "-q", "-b", "main", ".");
        TestHost.commit(repo, "first");
    }

    @AfterAll
    void down() {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(10)
    void createAndPushThroughTheBalancerServesThroughTheRouters() throws Exception {
        cli.run(repo, null, 120, "apps:create", app).ok();
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        assertTrue(push.output().contains("deployed to Slipway"), push.output());
        apps.awaitBody(app, "cluster-one web.1", DEPLOY);
    }

    @Test
    @Order(20)
    void scaleToSixSpreadsTheWebDynosOverEveryAgent() throws Exception {
        assertTrue(cli.run("ps:scale", "web=6", "-a", app).ok().output().contains("now running web at 6:Basic"));
        awaitCli(r -> countUp(r.stdout()) == 6, "ps", "-a", app);
        // what each agent is told to run, read with that agent's own token
        Map<String, Integer> perAgent = cluster.webDynosPerAgent(app);
        assertEquals(List.of("agent-1", "agent-2", "agent-3"), List.copyOf(perAgent.keySet()));
        assertEquals(6, perAgent.values().stream().mapToInt(Integer::intValue).sum(), perAgent.toString());
        assertTrue(perAgent.values().stream().allMatch(n -> n > 0), "every agent runs web dynos: " + perAgent);
        // and the balancer reaches them through both routers
        for (int i = 1; i <= 6; i++) apps.awaitBody(app, "web." + i, DEPLOY);
    }

    @Test
    @Order(30)
    void logsShowTheDynosAndTheRouters() throws Exception {
        apps.get(app, "/from-the-cluster-test");
        HerokuCli.Result logs = awaitCli(r -> r.stdout().contains("path=\"/from-the-cluster-test\""), "logs", "-n", "300", "-a", app);
        assertTrue(logs.stdout().contains("app[web."), logs.output());
    }

    @Test
    @Order(40)
    void runEchoesThroughTheRendezvous() throws Exception {
        HerokuCli.Result echo = cli.run(null, null, 120, "run", "-x", "-a", app, "--", "echo", "hello-from-the-cluster").ok();
        assertTrue(echo.stdout().contains("hello-from-the-cluster"), echo.output());
    }

    @Test
    @Order(50)
    void rollbackServesThePreviousCode() throws Exception {
        TestHost.write(repo, Map.of("server.js", RuntimeApps.node("cluster-two").get("server.js")));
        TestHost.commit(repo, "second");
        HerokuCli.Result push = cli.git(repo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        apps.awaitBody(app, "cluster-two", DEPLOY);
        HerokuCli.Result rollback = cli.run("rollback", "-a", app).ok();
        assertTrue(rollback.output().contains("done, v"), rollback.output());
        apps.awaitBody(app, "cluster-one", DEPLOY);
    }

    @Test
    @Order(99)
    void downLeavesNothingBehind() {
        List<Long> pids = cluster.pids();
        assertFalse(pids.isEmpty());
        cluster.close();
        assertEquals(List.of(), cluster.leftovers(), "left in the machine's namespaces");
        for (long pid : pids) assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
        assertFalse(Files.exists(cluster.dir().resolve("cluster.properties")));
    }

    private static long countUp(String ps) {
        return ps.lines().filter(l -> l.matches("web\\.\\d+: up .*")).count();
    }

    /** Runs a CLI command until its result satisfies {@code ok} (the runtime converges asynchronously). */
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

package io.slipway.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.cluster.Cluster;
import io.slipway.launcher.cluster.ClusterHome;
import io.slipway.launcher.cluster.ClusterLayout;
import io.slipway.launcher.cluster.Role;
import io.slipway.shared.testing.ScratchDirs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform as a real multi-host cluster on this machine ({@code ./slipway cluster up --agents 3}: every
 * component its own process in its own network namespace, started from the deploy/ env files, HAProxy in front),
 * driven with the stock CLI and real {@code git push} through the balancer: create, push, serve through the
 * routers, scale to six web dynos spread over the three agents, logs, run, rollback; a hostile tenant's dyno that
 * reaches only its own add-ons and the outside; then {@code down} leaves nothing in the machine's namespaces. One cluster for the class: it takes a minute or more to start on 2 cores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Duration DEPLOY = Duration.ofSeconds(180);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private Cluster cluster;
    private HerokuCli cli;
    private RouterClient apps;
    private Path repo;
    private final String app = "clu-" + UUID.randomUUID().toString().substring(0, 8);
    private final String attacker = "mal-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void up() throws Exception {
        String missing = ClusterHome.missing();
        assumeTrue(missing == null, "a cluster cannot run here: " + missing);
        assumeTrue(TestHost.onPath("node"), "needs the stack's (this host's) Node.js");
        // PostgreSQL runs as postgres below it: the temporary directory (700) must let it through
        Path tmp = scratch.create("slipway-cluster-test");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        cluster = Cluster.up(tmp.resolve("cluster"), 3);
        cli = HerokuCli.forPlatform(cluster.apiUrl(), cluster.adminApiKey(), cluster.caCert());
        apps = new RouterClient(cluster.appsPort());
        repo = scratch.create("cluster-repo");
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

    /**
     * The apps' HTTPS through the balancer (TCP passthrough): TLS ends on a router, which presents the platform's
     * wildcard certificate for the app's default domain (verified against the cluster's CA, name included) and
     * offers HTTP/2 (ALPN). A TLS socket, not curl: curl refuses wildcards under {@code localhost}.
     */
    @Test
    @Order(11)
    void theAppAnswersOverHttpsThroughTheBalancerWithTheWildcardCertificateAndHttp2() throws Exception {
        String host = app + ".localhost";
        try (javax.net.ssl.SSLSocket h2 = verifiedTls(host, "h2", "http/1.1")) {
            assertEquals("h2", h2.getApplicationProtocol());
        }
        try (javax.net.ssl.SSLSocket tls = verifiedTls(host, "http/1.1")) {
            tls.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(tls.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("cluster-one web."), response);
        }
    }

    /** A TLS connection to the front door's apps HTTPS port for {@code host} (SNI), its name checked as HTTPS does. */
    private javax.net.ssl.SSLSocket verifiedTls(String host, String... alpn) throws Exception {
        java.net.Socket plain = new java.net.Socket("127.0.0.1", cluster.appsTlsPort());
        javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) io.slipway.shared.http.CaTrust.sslContext(cluster.caCert())
                .getSocketFactory().createSocket(plain, host, cluster.appsTlsPort(), true);
        javax.net.ssl.SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setApplicationProtocols(alpn);
        tls.setSSLParameters(params);
        tls.setSoTimeout(30_000);
        tls.startHandshake();
        return tls;
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

    /**
     * Mallory's app (the probe, {@link ProbeApp}) with its own heroku-redis, its web dyno on one of the agents,
     * attacks everything it can see on the cluster: every listener of every host (the internal API through the
     * balancer and on each replica, the replicas' 5443, PostgreSQL and the object store, the git-gateway's SSH and
     * HTTP, the routers), the agents' own addresses, and the other app's dynos on the agents (their own addresses
     * and ports, and the ports the agents publish for the routers). Only its own Redis (with its password) and the
     * outside answer.
     */
    @Test
    @Order(60)
    void aHostileDynoReachesItsOwnRedisAndTheOutsideButNoPlatformPortNorAnotherAppsDyno() throws Exception {
        Path probeRepo = scratch.create("cluster-probe");
        TestHost.write(probeRepo, ProbeApp.files("mallory-probe"));
        TestHost.git(probeRepo, "init", "-q", "-b", "main", ".");
        TestHost.commit(probeRepo, "probe");
        cli.run(probeRepo, null, 120, "apps:create", attacker).ok();
        HerokuCli.Result addon = cli.run("addons:create", "heroku-redis", "-a", attacker).ok();
        assertTrue(addon.output().contains("heroku-redis"), addon.output());
        HerokuCli.Result push = cli.git(probeRepo, "push", "heroku", "main");
        assertEquals(0, push.exitCode(), push.output());
        apps.awaitBody(attacker, "mallory-probe", DEPLOY);

        // its own Redis: REDIS_URL names api-1's private address; the instance answers its password (api-1 starts it
        // within its reconcile interval when api-2 took the addons:create) and refuses another
        JsonNode redis = awaitProbe(attacker, "/redis", r -> r.path("reply").asString().contains("+PONG"));
        assertEquals(cluster.address("api-1"), redis.path("host").asString(), redis.toString());
        assertTrue(redis.path("reply").asString().startsWith("+OK"), redis.toString());
        JsonNode wrong = probe(attacker, "/redis?password=" + "0".repeat(64));
        assertTrue(wrong.path("reply").asString().contains("WRONGPASS"), wrong.toString());

        JsonNode me = probe(attacker, "/whoami");
        String myAddress = me.path("addresses").get(0).asString();
        Map<String, String> targets = new LinkedHashMap<>(); // address:port -> what it is
        String gateway = cluster.state().layout().gateway();
        for (int port : List.of(5003, 5443, 5002)) {
            targets.put(gateway + ":" + port, "the balancer's private side");
            for (String api : List.of("api-1", "api-2")) targets.put(cluster.address(api) + ":" + port, api);
        }
        for (String t : List.of("storage:5432", "storage:9000", "git:2222", "git:5001", "router-1:8080", "router-2:8080")) {
            String[] hp = t.split(":");
            targets.put(cluster.address(hp[0]) + ":" + hp[1], hp[0]);
        }
        List<ClusterTargets.Listener> listeners = new ArrayList<>(ClusterTargets.hostListeners(cluster));
        listeners.addAll(ClusterTargets.balancerListeners(cluster));
        for (ClusterTargets.Listener l : listeners) {
            // the add-on servers are opened to dynos on purpose, each add-on with its own credentials: the apps'
            // PostgreSQL (its own host) and the Redis instances' range on api-1
            boolean addonServer = l.host().equals(ClusterLayout.ADDONS_DB) && l.port() == ClusterLayout.POSTGRES_PORT
                    || l.host().equals(ClusterLayout.REDIS_HOST) && l.port() >= ClusterLayout.REDIS_FIRST_PORT
                    && l.port() <= ClusterLayout.REDIS_LAST_PORT;
            if (!addonServer) targets.putIfAbsent(l.target(), l.host());
        }
        String myAgent = cluster.webDynosPerAgent(attacker).entrySet().stream().filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        int otherAgentsDynos = 0;
        for (ClusterTargets.Sandbox s : ClusterTargets.sandboxes(cluster)) {
            boolean mine = s.agent().equals(myAgent) && s.address().equals(myAddress);
            if (mine) continue;
            if (!s.agent().equals(myAgent) && !s.ports().isEmpty()) otherAgentsDynos++;
            for (int port : s.ports()) {
                // each agent numbers its own sandboxes: a dyno elsewhere may share the attacker's address, which
                // from the attacker is itself (its published port on its agent is attacked all the same)
                if (!s.address().equals(myAddress)) targets.put(s.address() + ":" + port, "a dyno on " + s.agent());
                targets.put(cluster.address(s.agent()) + ":" + port, "a dyno's published port on " + s.agent());
            }
        }
        assertTrue(otherAgentsDynos > 0, "no dyno of the other app on another agent to attack");
        for (String agent : cluster.hostsRunning(Role.DYNO_AGENT)) {
            targets.putIfAbsent(cluster.address(agent) + ":" + me.path("port").asInt(), agent + " itself");
        }
        targets.remove(cluster.address(myAgent) + ":" + me.path("port").asInt()); // its own published port
        // the machine itself (the hosts' router to the outside): the front door listens on its loopback only
        for (java.net.NetworkInterface nif : java.net.NetworkInterface.networkInterfaces().toList()) {
            for (InetAddress a : nif.inetAddresses().filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).toList()) {
                for (int port : List.of(cluster.state().apiPort(), cluster.sshPort(), cluster.appsPort())) {
                    targets.putIfAbsent(a.getHostAddress() + ":" + port, "the front door on " + nif.getName());
                }
            }
        }

        List<String> open = new ArrayList<>();
        List<String> all = List.copyOf(targets.keySet());
        for (int i = 0; i < all.size(); i += 40) {
            for (JsonNode r : probe(attacker, "/connect?t=" + String.join(",", all.subList(i, Math.min(all.size(), i + 40))))) {
                String t = r.get(0).asString() + ":" + r.get(1).asInt();
                if ("open".equals(r.get(2).asString())) open.add(t + " (" + targets.get(t) + ")");
            }
        }
        assertTrue(all.size() > 20, "probed " + targets);
        assertEquals(List.of(), open, "the dyno on " + myAgent + " reached (of " + all.size() + " probed)");
        System.out.println("hostile dyno on " + myAgent + ": " + all.size() + " targets probed, none reached: " + targets);
        assertReachesTheOutside(attacker);
    }

    /**
     * The apps' PostgreSQL is a server apart from the platform's: a one-off dyno of the attacker's reaches its own
     * database there with its DATABASE_URL, but neither as the superuser nor with its own role into another
     * database ({@code pg_hba.conf}), and not the platform's server on storage at all.
     */
    @Test
    @Order(61)
    void aDynoReachesItsOwnPostgresOnlyAndNeverThePlatformsDatabase() throws Exception {
        HerokuCli.Result addon = cli.run("addons:create", "heroku-postgresql", "-a", attacker).ok();
        assertTrue(addon.output().contains("DATABASE_URL"), addon.output());
        String addonsDb = cluster.address(ClusterLayout.ADDONS_DB);
        String storage = cluster.address("storage");
        // psql's own connect_timeout: a dropped connection ends in 5 s instead of the kernel's minutes
        String script = "export PAGER=cat PGCONNECT_TIMEOUT=5;"
                + " psql -X -Atc \"select 'me=' || current_user\" \"$DATABASE_URL\" 2>&1;"
                + " psql -X -c 'select 1' 'postgres://postgres:guess@" + addonsDb + ":5432/postgres' 2>&1;"
                + " psql -X -c 'select 1' \"$(echo \"$DATABASE_URL\" | sed 's#/[a-z0-9_]*$#/postgres#')\" 2>&1;"
                + " psql -X -c 'select 1' 'postgres://slipway:guess@" + storage + ":5432/slipway' 2>&1; true";
        HerokuCli.Result run = cli.run(null, null, 180, "run", "-x", "-a", attacker, "--", script);
        String out = run.output();
        assertTrue(out.matches("(?s).*me=addon_[0-9a-f]{32}.*"), out);
        assertTrue(out.contains("rejects connection for host") && out.contains("user \"postgres\""), out);
        assertTrue(out.contains("no pg_hba.conf entry for host") && out.contains("database \"postgres\""), out);
        assertTrue(out.contains("connection to server at \"" + storage + "\"") && out.contains("timeout expired"), out);
    }

    /** The control: the same dyno does reach the outside (a server the test runs beyond the machine's NAT). */
    private void assertReachesTheOutside(String attacker) throws Exception {
        try (OutsideNetwork outside = new OutsideNetwork();
             ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(outside.hostAddress()))) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String address = outside.relay(server.getLocalPort());
            int before = accepted.get();
            JsonNode r = probe(attacker, "/connect?t=" + address + ":" + server.getLocalPort());
            assertEquals("open", r.get(0).get(2).asString(), r.toString());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (accepted.get() == before && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(accepted.get() > before, "the outside server saw no connection from the dyno");
        }
    }

    private JsonNode probe(String app, String path) throws Exception {
        java.net.http.HttpResponse<String> r = apps.get(app, path);
        assertEquals(200, r.statusCode(), app + path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode awaitProbe(String app, String path, Predicate<JsonNode> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode r = probe(app, path);
        while (!ok.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            r = probe(app, path);
        }
        assertTrue(ok.test(r), app + path + ": " + r);
        return r;
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

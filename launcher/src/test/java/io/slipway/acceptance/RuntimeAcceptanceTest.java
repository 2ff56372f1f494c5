package io.slipway.acceptance;

import static io.slipway.acceptance.TestHost.assumeRuncAndNode;
import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.api.accounts.CreateUser;
import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Issue #4 end to end on the real stack of {@code slipway up}: git push of a Node.js app, built in runc, run
 * by the dyno-agent in runc, requested through the router; scaling, a killed dyno coming back, rollback,
 * maintenance mode, and a load test through the router across five consecutive deploys that must not fail a
 * single request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Duration DEPLOY = Duration.ofSeconds(120);
    private Platform platform;
    private PlatformApi api;
    private GitCli git;
    private RouterClient router;
    private CreateUser.Created alice;
    private Path dataDir;

    @BeforeAll
    void start() throws Exception {
        assumeRuncAndNode();
        dataDir = scratch.create("slipway-runtime-acceptance").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", 0));
        api = new PlatformApi(platform);
        alice = platform.apiServer().getBean(CreateUser.class)
                .create("alice-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com", null, false);
        git = new GitCli(scratch.create("git-home"), platform.tls().caCert());
        router = new RouterClient(platform.routerPort());
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void pushScaleKillRollbackAndMaintenance() throws Exception {
        String app = api.createApp(alice.apiKey(), "e2e");
        String marker = "marker-" + UUID.randomUUID().toString().substring(0, 8);
        api.call(alice.apiKey(), "PATCH", "/apps/" + app + "/config-vars", Map.of("E2E_MARKER", marker));

        Path dir = git.newRepo(RuntimeApps.node("first"));
        push(dir, app);
        assertTrue(router.awaitBody(app, "first web.1", DEPLOY).startsWith("first web.1"));
        int firstVersion = api.newestRelease(alice.apiKey(), app).path("version").asInt();

        // scale to three: responses come from web.1, web.2 and web.3
        api.call(alice.apiKey(), "PATCH", "/apps/" + app + "/formation",
                Map.of("updates", List.of(Map.of("type", "web", "quantity", 3))));
        assertEquals(Set.of("web.1", "web.2", "web.3"), dynosAnswering(app, 3, DEPLOY));
        awaitDynoStates(app, Map.of("web.1", "up", "web.2", "up", "web.3", "up"));

        // kill web.2's process from the host: the agent restarts it and it serves again
        long killed = killDynoProcess(marker, "web.2");
        assertTrue(killed > 0, "found web.2's process on the host");
        awaitDynoStates(app, Map.of("web.2", "up"));
        assertEquals(Set.of("web.1", "web.2", "web.3"), dynosAnswering(app, 3, DEPLOY));
        assertTrue(!ProcessHandle.of(killed).map(ProcessHandle::isAlive).orElse(false), "the killed process stays dead");

        // a second deploy, then a rollback to the first: the first code is served again
        git.commit(dir, RuntimeApps.node("second"), "second");
        push(dir, app);
        router.awaitBody(app, "second ", DEPLOY);
        String firstId = api.call(alice.apiKey(), "GET", "/apps/" + app + "/releases/" + firstVersion, null).path("id").asText();
        api.call(alice.apiKey(), "POST", "/apps/" + app + "/releases", Map.of("release", firstId));
        router.awaitBody(app, "first ", DEPLOY);

        // maintenance on: the router answers 503 with the maintenance page; off: the app again
        api.call(alice.apiKey(), "PATCH", "/apps/" + app, Map.of("maintenance", true));
        HttpResponse<String> down = awaitStatus(app, 503, Duration.ofSeconds(30));
        assertTrue(down.body().toLowerCase().contains("maintenance"), down.body());
        api.call(alice.apiKey(), "PATCH", "/apps/" + app, Map.of("maintenance", false));
        router.awaitBody(app, "first ", Duration.ofSeconds(30));
    }

    /**
     * A volume (issue 11): the web dyno writes an id into it on its first start only and serves the volume, so the
     * same id after a deploy, a restart and a rollback means the file survived them; another app's volume at the
     * same path holds its own id.
     */
    @Test
    void aVolumeKeepsItsFilesAcrossDeployRestartAndRollback() throws Exception {
        String app = api.createApp(alice.apiKey(), "vol");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(0, io.slipway.launcher.VolumesCommand.run("volumes:add", List.of("storage", "--app", app, "--type",
                "web", "--path", "/app/storage", "--size-mb", "32"), Map.of("HEROKU_HOST", "https://127.0.0.1:"
                + platform.config().apiPort(), "HEROKU_API_KEY", alice.apiKey(), "SSL_CERT_FILE",
                platform.tls().caCert().toString()), new java.io.PrintStream(out, true)));
        assertTrue(out.toString().contains("Added volume storage  web:/app/storage  32 MB"), out.toString());
        Path dir = git.newRepo(volumeApp("one"));
        push(dir, app);
        String[] first = router.awaitBody(app, " one ", DEPLOY).split(" ");
        String id = first[0];
        assertTrue(id.startsWith("vol-"), String.join(" ", first));
        int firstVersion = api.newestRelease(alice.apiKey(), app).path("version").asInt();

        git.commit(dir, volumeApp("two"), "two");
        push(dir, app);
        assertTrue(router.awaitBody(app, " two ", DEPLOY).startsWith(id + " two "), "kept across a deploy");

        String before = router.awaitBody(app, " two ", DEPLOY);
        api.call(alice.apiKey(), "DELETE", "/apps/" + app + "/dynos", null);
        String restarted = awaitBodyOtherThan(app, before, " two ", DEPLOY);
        assertTrue(restarted.startsWith(id + " two "), "kept across a restart: " + restarted);

        String firstId = api.call(alice.apiKey(), "GET", "/apps/" + app + "/releases/" + firstVersion, null).path("id").asText();
        api.call(alice.apiKey(), "POST", "/apps/" + app + "/releases", Map.of("release", firstId));
        assertTrue(router.awaitBody(app, " one ", DEPLOY).startsWith(id + " one "), "kept across a rollback");

        String other = api.createApp(alice.apiKey(), "vol-other");
        api.call(alice.apiKey(), "POST", "/apps/" + other + "/volumes",
                Map.of("name", "storage", "process_type", "web", "mount_path", "/app/storage", "size_mb", 32));
        Path otherDir = git.newRepo(volumeApp("one"));
        push(otherDir, other);
        String otherId = router.awaitBody(other, " one ", DEPLOY).split(" ")[0];
        assertTrue(otherId.startsWith("vol-") && !otherId.equals(id), "another app's volume is its own: " + otherId);

        // removed: the agent deletes its copy once the api-server no longer has the volume
        String volumeId = api.call(alice.apiKey(), "GET", "/apps/" + app + "/volumes/storage", null).path("id").asText();
        Path image = dataDir.resolve("agent/volumes/" + volumeId + ".img");
        assertTrue(Files.exists(image), image + " holds the volume");
        api.call(alice.apiKey(), "DELETE", "/apps/" + app + "/volumes/storage", null);
        long deadline = System.nanoTime() + DEPLOY.toNanos();
        while (Files.exists(image) && System.nanoTime() < deadline) Thread.sleep(200);
        assertTrue(!Files.exists(image), "the agent deleted its copy of the removed volume");
    }

    /** Writes an id into the volume on its first start only; serves "id marker started-at" (a file of its own). */
    private static Map<String, String> volumeApp(String marker) {
        return Map.of("marker.txt", marker + "\n", "Procfile", "web: test -s /app/storage/id || echo vol-$(date +%s%N) "
                + "> /app/storage/id; mkdir -p /tmp/www; echo \"$(cat /app/storage/id) $(cat /app/marker.txt) "
                + "$(date +%s%N)\" > /tmp/www/index.html; cd /tmp/www && exec python3 -m http.server $PORT\n");
    }

    /** A body with {@code marker} other than {@code old}: a dyno started since {@code old} was served answered. */
    private String awaitBodyOtherThan(String app, String old, String marker, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = old;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = router.get(app, "/");
                last = r.body();
                if (r.statusCode() == 200 && !last.equals(old) && last.contains(marker)) return last;
            } catch (java.io.IOException e) {
                // the dyno is restarting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the body stayed " + last);
    }

    @Test
    void noFailedRequestAcrossFiveDeploys() throws Exception {
        String app = api.createApp(alice.apiKey(), "load");
        Path dir = git.newRepo(RuntimeApps.node("deploy-0"));
        push(dir, app);
        router.awaitBody(app, "deploy-0", DEPLOY);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        Set<String> served = ConcurrentHashMap.newKeySet();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Thread t = new Thread(() -> {
                RouterClient client = new RouterClient(platform.routerPort());
                long stopAt = System.nanoTime() + Duration.ofMinutes(10).toNanos(); // bounded even if the test hangs
                while (running.get() && System.nanoTime() < stopAt) {
                    try {
                        HttpResponse<String> r = client.get(app, "/");
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            served.add(r.body().split(" ")[0]);
                        } else {
                            failures.computeIfAbsent("HTTP " + r.statusCode() + " " + r.body().lines().findFirst().orElse(""),
                                    k -> new AtomicLong()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.computeIfAbsent(e.toString(), k -> new AtomicLong()).incrementAndGet();
                    }
                }
            }, "load-" + c);
            t.start();
            clients.add(t);
        }
        try {
            for (int i = 1; i <= 5; i++) {
                git.commit(dir, RuntimeApps.node("deploy-" + i), "deploy " + i);
                push(dir, app);
                router.awaitBody(app, "deploy-" + i, DEPLOY);
            }
            awaitOnlyCurrentDynos(app); // the last deploy's old dyno drains and stops while requests continue
        } finally {
            running.set(false);
            for (Thread t : clients) t.join(60_000);
        }
        System.out.printf("=== load through the router during 5 deploys: %d ok, failures %s, versions served %s%n",
                ok.get(), failures, served);
        assertEquals(Map.of(), Map.copyOf(failures), "no request failed during the deploys");
        assertTrue(served.containsAll(List.of("deploy-0", "deploy-5")), served.toString());
        assertTrue(ok.get() > 100, "the load ran: " + ok.get());
    }

    private void push(Path dir, String app) throws IOException, InterruptedException {
        String url = "https://heroku:" + URLEncoder.encode(alice.apiKey(), StandardCharsets.UTF_8) + "@127.0.0.1:"
                + platform.config().apiPort() + "/" + app + ".git";
        GitCli.Result r = git.run(dir, 300, "push", url, "main");
        assertEquals(0, r.exitCode(), r.output().replace(alice.apiKey(), "***"));
    }

    /** Requests until {@code count} different dynos have answered; answers their names. */
    private Set<String> dynosAnswering(String app, int count, Duration timeout) throws Exception {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < count && System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = router.get(app, "/");
                if (r.statusCode() == 200) seen.add(r.body().trim().split(" ")[1]);
            } catch (IOException e) {
                // the next request goes to another dyno
            }
            if (seen.size() < count) Thread.sleep(50);
        }
        return seen;
    }

    private HttpResponse<String> awaitStatus(String app, int status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> r = router.get(app, "/");
        while (r.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = router.get(app, "/");
        }
        assertEquals(status, r.statusCode(), r.body());
        return r;
    }

    /** Waits until every dyno of the app is up and runs its newest release (the old ones have stopped). */
    private void awaitOnlyCurrentDynos(String app) throws Exception {
        long deadline = System.nanoTime() + DEPLOY.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            int newest = 0;
            for (JsonNode r : api.call(alice.apiKey(), "GET", "/apps/" + app + "/releases", null)) {
                newest = Math.max(newest, r.path("version").asInt());
            }
            JsonNode dynos = api.call(alice.apiKey(), "GET", "/apps/" + app + "/dynos", null);
            last = "v" + newest + " " + dynos;
            boolean onlyCurrent = dynos.size() > 0;
            for (JsonNode d : dynos) {
                onlyCurrent &= d.path("release").path("version").asInt() == newest && "up".equals(d.path("state").asText());
            }
            if (onlyCurrent) return;
            Thread.sleep(300);
        }
        throw new AssertionError("old dynos of " + app + " never stopped; last: " + last);
    }

    /** Waits until {@code heroku ps} (GET /apps/{app}/dynos) shows each named dyno in the given state. */
    private void awaitDynoStates(String app, Map<String, String> wanted) throws Exception {
        long deadline = System.nanoTime() + DEPLOY.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode dynos = api.call(alice.apiKey(), "GET", "/apps/" + app + "/dynos", null);
            last = dynos.toString();
            boolean all = true;
            for (var w : wanted.entrySet()) {
                boolean found = false;
                for (JsonNode d : dynos) {
                    if (w.getKey().equals(d.path("name").asText()) && w.getValue().equals(d.path("state").asText())) found = true;
                }
                all &= found;
            }
            if (all) return;
            Thread.sleep(300);
        }
        throw new AssertionError("dynos of " + app + " never reached " + wanted + "; last: " + last);
    }

    /**
     * Kills (SIGKILL) the host process of one dyno, found by its environment: the app's marker config var and
     * {@code DYNO}. Answers the pid killed, or -1.
     */
    private static long killDynoProcess(String marker, String dyno) throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String env;
                String cmdline;
                try {
                    env = Files.readString(p.resolve("environ"), StandardCharsets.ISO_8859_1);
                    cmdline = Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1);
                } catch (IOException | RuntimeException e) {
                    continue;
                }
                List<String> vars = List.of(env.split("\0"));
                if (vars.contains("E2E_MARKER=" + marker) && vars.contains("DYNO=" + dyno) && cmdline.contains("node")) {
                    long pid = Long.parseLong(p.getFileName().toString());
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    return pid;
                }
            }
        }
        return -1;
    }
}

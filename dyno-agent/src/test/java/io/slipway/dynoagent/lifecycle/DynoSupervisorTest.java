package io.slipway.dynoagent.lifecycle;

import static io.slipway.dynoagent.support.StubApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.agents.Assignment;
import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.slugs.SlugCache;
import io.slipway.dynoagent.support.Slugs;
import io.slipway.dynoagent.support.StubApiServer;
import io.slipway.dynoagent.support.TestAgents;
import io.slipway.shared.logs.LogShipper;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One dyno's lifecycle against a stub api-server, with a real slug served over HTTP and a real driver. */
class DynoSupervisorTest {
    @TempDir
    Path tmp;
    StubApiServer api;
    AgentConfig config;
    DynoContext ctx;
    LogShipper logs;
    final List<DynoSupervisor> supervisors = new ArrayList<>();
    String slugUrl;
    String checksum;

    @BeforeEach
    void setUp() throws Exception {
        api = new StubApiServer();
        config = TestAgents.config(api, tmp.resolve("data"));
        HttpClient http = HttpClient.newHttpClient();
        logs = new LogShipper(config.apiUrl(), config.internalToken(), http);
        ctx = new DynoContext(config, TestAgents.driver(config), new SlugCache(config.dataDir().resolve("slugs"), http),
                new PortAllocator(config.portFrom(), config.portTo()),
                new AgentsClient(new InternalTransport(config.apiUrl(), config.internalToken(), http), config.agentId()), logs,
                SSLContext.getDefault());
        Path slug = Slugs.build(tmp, Map.of(
                "Procfile", "web: ./server.sh\n",
                "server.sh", "#!/bin/bash\necho \"$GREETING from $DYNO\"\nexec python3 -m http.server \"$PORT\"\n",
                ".profile.d/app.sh", "export FROM_PROFILE=yes\n"));
        slugUrl = api.serve("slug.tgz", slug);
        checksum = Slugs.checksum(slug);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (DynoSupervisor s : supervisors) {
            s.shutdown();
            s.awaitFinished(Duration.ofSeconds(60));
        }
        logs.close();
        api.close();
        ctx.driver().close();
    }

    private DynoSupervisor start(Map<String, Object> assignment) {
        DynoSupervisor s = new DynoSupervisor(Assignment.parse(assignment), ctx, x -> { });
        supervisors.add(s);
        s.start();
        return s;
    }

    private void awaitLog(String dyno, String source, String message) throws InterruptedException {
        await("log line '" + message + "'", v -> api.messages(source, dyno).contains(message));
    }

    @Test
    void aWebDynoComesUpOnItsPortAndIsRetiredWithSigterm() throws Exception {
        Map<String, Object> a = TestAgents.assignment("web.1", "./server.sh", slugUrl, checksum);
        String id = (String) a.get("dyno_id");
        DynoSupervisor s = start(a);
        await("up", v -> api.states(id).contains("up"));
        assertEquals("starting", api.states(id).get(0));
        Map<String, Object> upReport = api.stateReports.stream()
                .filter(r -> id.equals(r.get("dyno_id")) && "up".equals(r.get("state"))).findFirst().orElseThrow();
        int port = ((Number) upReport.get("port")).intValue();
        assertTrue(PortProbe.accepts("127.0.0.1", port));
        awaitLog("web.1", "app", "hello from web.1");
        awaitLog("web.1", "heroku", "Starting process with command `./server.sh`");
        awaitLog("web.1", "heroku", "State changed from starting to up");

        s.retire();
        assertTrue(s.awaitFinished(Duration.ofSeconds(60)));
        assertEquals("down", api.states(id).get(api.states(id).size() - 1));
        awaitLog("web.1", "heroku", "Stopping all processes with SIGTERM");
        assertFalse(Files.exists(config.dataDir().resolve("dynos").resolve(id)), "the dyno's directory is deleted");
        assertTrue(Files.isRegularFile(config.dataDir().resolve("slugs").resolve(
                ((Map<?, ?>) a.get("slug")).get("id") + ".tgz")), "the slug stays cached");
    }

    @Test
    void aWebDynoThatNeverBindsGetsR10AndCrashes() throws Exception {
        config = config.withTimings(Duration.ofSeconds(2), config.stopTimeout(), config.drainDelay(),
                Duration.ofSeconds(30), Duration.ofSeconds(60), config.resyncInterval());
        ctx = new DynoContext(config, ctx.driver(), ctx.slugs(), ctx.ports(), ctx.api(), ctx.logs(), ctx.attachTls());
        Map<String, Object> a = TestAgents.assignment("web.1", "echo not listening; sleep 300", slugUrl, checksum);
        String id = (String) a.get("dyno_id");
        start(a);
        await("crashed", v -> api.states(id).contains("crashed"));
        awaitLog("web.1", "heroku",
                "Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 2 seconds of launch");
        awaitLog("web.1", "heroku", "Stopping process with SIGKILL");
        awaitLog("web.1", "heroku", "State changed from starting to crashed");
        assertFalse(api.states(id).contains("up"));
    }

    @Test
    void aCrashedDynoIsRestartedAtOnceThenWithBackoff() throws Exception {
        Map<String, Object> a = TestAgents.assignment("worker.1", "echo \"profile=$FROM_PROFILE\"; exit 3",
                slugUrl, checksum);
        String id = (String) a.get("dyno_id");
        start(a);
        await("three starts", v -> api.messages("heroku", "worker.1").stream()
                .filter(m -> m.startsWith("Starting process")).count() >= 3);
        List<String> heroku = api.messages("heroku", "worker.1");
        assertTrue(heroku.contains("Process exited with status 3"), heroku.toString());
        assertTrue(heroku.contains("State changed from up to crashed"), heroku.toString());
        assertTrue(api.messages("app", "worker.1").contains("profile=yes"));
        assertTrue(api.states(id).contains("crashed"));
        Map<String, Object> crash = api.stateReports.stream()
                .filter(r -> id.equals(r.get("dyno_id")) && "crashed".equals(r.get("state"))).findFirst().orElseThrow();
        assertEquals(3L, crash.get("exit_code"));
    }

    @Test
    void aOneOffReportsDownWithItsExitCodeAndIsNotRestarted() throws Exception {
        Map<String, Object> a = TestAgents.assignment("run.1", "echo \"$GREETING one-off\"; exit 4", slugUrl, checksum);
        String id = (String) a.get("dyno_id");
        DynoSupervisor s = start(a);
        assertTrue(s.awaitFinished(Duration.ofSeconds(60)));
        Map<String, Object> last = api.stateReports.get(api.stateReports.size() - 1);
        assertEquals("down", last.get("state"));
        assertEquals(4L, last.get("exit_code"));
        assertEquals(List.of("starting", "up", "down"), api.states(id));
        awaitLog("run.1", "app", "hello one-off");
        awaitLog("run.1", "heroku", "Process exited with status 4");
        awaitLog("run.1", "heroku", "State changed from up to complete");
    }

    @Test
    void aGrownRestartGenerationRestartsTheProcess() throws Exception {
        Map<String, Object> a = TestAgents.assignment("worker.1", "echo started; exec sleep 300", slugUrl, checksum);
        String id = (String) a.get("dyno_id");
        DynoSupervisor s = start(a);
        await("up", v -> api.states(id).contains("up"));
        Map<String, Object> newer = new HashMap<>(a);
        newer.put("restart_generation", 1L);
        s.update(Assignment.parse(newer));
        await("second start", v -> api.messages("app", "worker.1").stream().filter("started"::equals).count() == 2);
        awaitLog("worker.1", "heroku", "Restarting");
        awaitLog("worker.1", "heroku", "Stopping all processes with SIGTERM");
        await("up again", v -> api.states(id).stream().filter("up"::equals).count() == 2);
        assertEquals(List.of("starting", "up", "starting", "up"), api.states(id));
        awaitLog("worker.1", "heroku", "State changed from up to starting");
        List<String> heroku = api.messages("heroku", "worker.1");
        assertTrue(heroku.indexOf("State changed from up to starting") > heroku.indexOf("Restarting"), heroku.toString());
    }

    @Test
    void aDynoIgnoringSigtermIsKilledAfterTheStopTimeoutWithR12() throws Exception {
        Map<String, Object> a = TestAgents.assignment("worker.1",
                "trap '' TERM; echo ready; while true; do sleep 0.2; done", slugUrl, checksum);
        String id = (String) a.get("dyno_id");
        DynoSupervisor s = start(a);
        awaitLog("worker.1", "app", "ready");
        s.retire();
        assertTrue(s.awaitFinished(Duration.ofSeconds(60)));
        awaitLog("worker.1", "heroku",
                "Error R12 (Exit timeout) -> At least one process failed to exit within 3 seconds of SIGTERM");
        awaitLog("worker.1", "heroku", "Stopping process with SIGKILL");
        assertEquals("down", api.states(id).get(api.states(id).size() - 1));
    }

    @Test
    void aSlugFailingItsChecksumIsNeverRun() throws Exception {
        Map<String, Object> a = TestAgents.assignment("worker.1", "echo should-not-run", slugUrl,
                "SHA256:" + "0".repeat(64));
        String id = (String) a.get("dyno_id");
        start(a);
        await("crashed", v -> api.states(id).contains("crashed"));
        assertFalse(api.messages("app", "worker.1").contains("should-not-run"));
        // the crashed dyno is retried at once (as on Heroku), so a retry's download may be in flight as a
        // .partial file; what must never appear is the bad slug accepted into the cache
        try (var files = Files.list(config.dataDir().resolve("slugs"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tgz")), "no bad slug is kept");
        }
    }

    @Test
    void aDynoTheApiServerNoLongerKnowsIsStopped() throws Exception {
        Map<String, Object> a = TestAgents.assignment("worker.1", "echo started; exec sleep 300", slugUrl, checksum);
        String id = (String) a.get("dyno_id");
        api.goneDynos.add(id); // its state reports answer 404
        DynoSupervisor s = start(a);
        assertTrue(s.awaitFinished(Duration.ofSeconds(60)));
        assertEquals("down", api.states(id).get(api.states(id).size() - 1));
    }
}

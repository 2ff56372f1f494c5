package io.slipway.dynoagent;

import static io.slipway.dynoagent.support.StubApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.drivers.DynoDriver;
import io.slipway.dynoagent.drivers.DynoSpec;
import io.slipway.shared.testing.ScratchDirs;
import io.slipway.dynoagent.support.Slugs;
import io.slipway.dynoagent.support.StubApiServer;
import io.slipway.dynoagent.support.TestAgents;
import io.slipway.shared.dynos.DynoState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agent loop against a stub api-server following the runtime contract. */
class DynoAgentTest {
    // not @TempDir: JUnit deletes through a mount a failed close left (a slug, a volume) and fails the test
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();
    final Path tmp = scratch.create("slipway-dyno-agent");
    StubApiServer api;
    AgentConfig config;
    DynoAgent agent;
    String slugUrl;
    String checksum;

    @BeforeEach
    void setUp() throws Exception {
        api = new StubApiServer();
        config = TestAgents.config(api, tmp.resolve("data"));
        Path slug = Slugs.build(tmp, Map.of("server.sh", "#!/bin/bash\nexec python3 -m http.server \"$PORT\"\n"));
        slugUrl = api.serve("slug.tgz", slug);
        checksum = Slugs.checksum(slug);
    }

    @AfterEach
    void tearDown() {
        if (agent != null) agent.close();
        api.close();
    }

    private DynoAgent startAgent(AgentConfig c) throws Exception {
        agent = new DynoAgent(c, TestAgents.driver(c));
        agent.start();
        return agent;
    }

    private void assignmentsChanged() {
        api.publish("agent.assignments_changed", Map.of("agent_id", config.agentId()));
    }

    @Test
    void registersFollowsAssignmentEventsHeartbeatsAndReconciles() throws Exception {
        startAgent(config); // resync every 60 s: only events make it re-read here
        await("registration", v -> api.registrations.size() == 1);
        Map<String, Object> reg = api.registrations.get(0);
        assertEquals(config.agentId(), reg.get("agent_id"));
        assertEquals("127.0.0.1", reg.get("host"));
        assertEquals(4096L, reg.get("memory_mb"));
        assertEquals(32L, reg.get("dyno_slots"));
        await("first read", v -> api.assignmentReads.get() == 1);

        api.publish("agent.assignments_changed", Map.of("agent_id", "another-agent"));
        Map<String, Object> web = TestAgents.assignment("web.1", "./server.sh", slugUrl, checksum);
        String id = (String) web.get("dyno_id");
        api.setAssignments(List.of(web));
        assignmentsChanged();
        await("web.1 up", v -> api.states(id).contains("up"));
        await("heartbeat with web.1", v -> api.heartbeats.stream().anyMatch(h ->
                h.get("dynos").toString().contains(id) && h.get("dynos").toString().contains("up")));
        await("persisted seq", v -> agent.persistedSeq() == api.seq());

        api.forgetAgents(); // the api-server lost us: heartbeats answer 404 until we register again
        await("re-registration", v -> api.registrations.size() == 2);
        assertEquals(List.of("starting", "up"), api.states(id), "re-registering leaves running dynos alone");

        Map<String, Object> stopped = new HashMap<>(web);
        stopped.put("desired_state", "stopped");
        api.setAssignments(List.of(stopped));
        assignmentsChanged();
        await("web.1 down", v -> api.states(id).contains("down"));
        await("web.1 gone", v -> agent.dynoStates().isEmpty());
        await("SIGTERM line", v -> api.messages("heroku", "web.1").contains("Stopping all processes with SIGTERM"));
        assertEquals(0, api.unauthorized.get());
    }

    @Test
    void dynosKeepRunningWhileTheApiServerIsAwayAndStopWhenTheAgentCloses() throws Exception {
        AgentConfig quick = config.withTimings(config.bootTimeout(), config.stopTimeout(), config.drainDelay(),
                config.restartBackoff(), config.restartBackoffMax(), Duration.ofMillis(300));
        Map<String, Object> worker = TestAgents.assignment("worker.1", "echo working; exec sleep 300", slugUrl, checksum);
        String id = (String) worker.get("dyno_id");
        api.setAssignments(List.of(worker));
        startAgent(quick);
        await("worker.1 up", v -> api.states(id).contains("up"));

        api.goAway();
        await("failed resyncs and heartbeats", v -> api.refusedReads.get() >= 3 && api.refusedHeartbeats.get() >= 2);
        assertEquals(Map.of(id, DynoState.UP), agent.dynoStates(), "failed calls never stop dynos");
        int beats = api.heartbeats.size();
        api.comeBack();
        await("heartbeat after the outage", v -> api.heartbeats.size() > beats
                && api.heartbeats.get(api.heartbeats.size() - 1).get("dynos").toString().contains(id));
        assertEquals(Map.of(id, DynoState.UP), agent.dynoStates());

        agent.close();
        assertTrue(agent.dynoStates().isEmpty());
        assertTrue(TestAgents.driver(quick).runningDynoIds().isEmpty(), "closing the agent stops its dynos");
        agent = null;
    }

    @Test
    void containersLeftByACrashedAgentAreRemovedAtStart() throws Exception {
        DynoDriver driver = TestAgents.driver(config);
        Assumptions.assumeTrue(driver.dynosOutliveTheAgent(), "this driver's dynos die with their agent");
        Path app = Files.createDirectories(tmp.resolve("leftover/app"));
        driver.start(new DynoSpec("leftover", "web.9", "sleep 300", Map.of(), app, tmp.resolve("leftover"), 1,
                64L << 20, 64, driver.uidFor("leftover-app"), false, null, null));
        await("leftover running", v -> driver.runningDynoIds().equals(List.of("leftover")));
        startAgent(config);
        assertTrue(driver.runningDynoIds().isEmpty());
    }

    @Test
    void anImageDynoRunsAndItsRootIsDeletedOnceNoAssignmentUsesIt() throws Exception {
        assumeImageDynos();
        try (var images = new io.slipway.dynoagent.support.TestImages()) {
            var image = io.slipway.dynoagent.support.TestImages.image(new io.slipway.shared.images.ImageConfig(
                    "1000", List.of(), null, null, List.of("/bin/sh", "-c", "exec httpd -f -p $PORT -h /")),
                    images.layer(io.slipway.dynoagent.support.TestImages.busybox(List.of("sh", "httpd"), ""), true));
            Map<String, Object> web = TestAgents.assignment("web.1", null, null, null);
            web.put("slug", null);
            web.put("image", image.toJson());
            String id = (String) web.get("dyno_id");
            startAgent(config);
            api.setAssignments(List.of(web));
            assignmentsChanged();
            await("the image dyno up", v -> api.states(id).contains("up"));
            Path roots = config.dataDir().resolve("images/roots");
            String hex = image.manifestDigest().substring("sha256:".length());
            assertTrue(Files.isDirectory(roots.resolve(hex)));

            api.setAssignments(List.of());
            assignmentsChanged();
            await("down", v -> api.states(id).contains("down"));
            await("the root deleted", v -> !Files.exists(roots.resolve(hex))
                    && !Files.exists(roots.resolve(hex + ".img")));
            await("the blobs deleted", v -> {
                try (var files = Files.list(config.dataDir().resolve("images/blobs"))) {
                    return files.findAny().isEmpty();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void aCleanCloseLeavesNoMountAndNoLoopDeviceBehind() throws Exception {
        assumeImageDynos();
        try (var images = new io.slipway.dynoagent.support.TestImages()) {
            Map<String, Object> worker = TestAgents.assignment("worker.1", "echo kept > /app/storage/note; "
                    + "exec sleep 300", slugUrl, checksum);
            String volumeId = java.util.UUID.randomUUID().toString();
            worker.put("volumes", List.of(Map.of("id", volumeId, "path", "/app/storage", "size_mb", 16)));
            var image = io.slipway.dynoagent.support.TestImages.image(new io.slipway.shared.images.ImageConfig(
                    "1000", List.of(), null, null, List.of("/bin/sh", "-c", "exec httpd -f -p $PORT -h /")),
                    images.layer(io.slipway.dynoagent.support.TestImages.busybox(List.of("sh", "httpd"), ""), true));
            Map<String, Object> web = TestAgents.assignment("web.1", null, null, null);
            web.put("slug", null);
            web.put("image", image.toJson());
            api.setAssignments(List.of(worker, web));
            startAgent(config);
            await("both dynos up", v -> api.states((String) worker.get("dyno_id")).contains("up")
                    && api.states((String) web.get("dyno_id")).contains("up"));
            Path data = config.dataDir().toAbsolutePath().normalize();
            assertTrue(mountsUnder(data).size() >= 3, "a slug, an image root and a volume: " + mountsUnder(data));

            agent.close();
            agent = null;
            assertEquals(List.of(), mountsUnder(data), "mounts a clean stop left");
            await("no loop device on the agent's images", v -> loopDevicesUnder(data).isEmpty());
            Path volume = data.resolve("volumes").resolve(volumeId);
            assertTrue(Files.isRegularFile(volume.resolveSibling(volumeId + ".img")), "the volume's data is kept");
        }
    }

    private static List<String> mountsUnder(Path dir) {
        return io.slipway.shared.sandbox.SizedDisk.mountPoints().stream().filter(p -> p.startsWith(dir + "/"))
                .toList();
    }

    /** {@code losetup -a} lines whose backing file is below {@code dir} (deleted or not). */
    private static List<String> loopDevicesUnder(Path dir) {
        try {
            Process p = new ProcessBuilder("losetup", "-a").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().filter(l -> l.contains("(" + dir + "/")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("interrupted");
        }
    }

    /** Image dynos and their mounts need the runc driver (root, runc, ip, nft) and a busybox to build an image from. */
    private static void assumeImageDynos() throws Exception {
        Assumptions.assumeTrue(io.slipway.dynoagent.drivers.Drivers.sandboxProblem("runc") == null,
                "image dynos and their mounts need the runc driver (root, runc, ip, nft)");
        String busybox = io.slipway.dynoagent.support.TestImages.busyboxProblem();
        Assumptions.assumeTrue(busybox == null, busybox);
    }
}

package io.slipway.dynoagent.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.dynoagent.lifecycle.PortProbe;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every {@link DynoDriver} must do, whatever isolates the dyno (in the style of Spring Cloud Deployer's
 * conformance tests): each driver's test extends this and supplies the driver.
 */
public abstract class DynoDriverConformance {
    protected static final Duration LONG = Duration.ofSeconds(60);

    // not @TempDir: JUnit deletes through a mount a failed close left (a slug, a volume) and fails the test
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();
    protected final Path tmp = scratch.create("slipway-dyno-driver");

    private final List<RunningDyno> started = new ArrayList<>();

    /** The driver under test; {@code tmp} is a fresh directory it may keep state in. */
    protected abstract DynoDriver driver();

    @AfterEach
    void cleanUp() {
        for (RunningDyno d : started) d.cleanup();
    }

    /** The app the dynos of these tests belong to, unless a test says otherwise. */
    protected static final String APP = "app-under-test";

    /** A dyno whose output is collected. */
    protected final class Dyno {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final RunningDyno running;
        final DynoSpec spec;

        Dyno(String name, String command, Map<String, String> env, Path app, long memoryBytes, int pids)
                throws IOException {
            this(APP, name, command, env, app, memoryBytes, pids);
        }

        Dyno(String appId, String name, String command, Map<String, String> env, Path app, long memoryBytes,
             int pids) throws IOException {
            this(appId, name, command, env, app, memoryBytes, pids, LocalPorts.freePort());
        }

        Dyno(String appId, String name, String command, Map<String, String> env, Path app, long memoryBytes,
             int pids, int port) throws IOException {
            Path work = Files.createTempDirectory(tmp, "work");
            spec = new DynoSpec("t" + Long.toHexString(System.nanoTime()), name, command, env, app, work, port,
                    memoryBytes, pids, driver().uidFor(appId), false, lines::add, null);
            running = driver().start(spec);
            started.add(running);
        }

        int exit() throws InterruptedException {
            Integer code = running.waitFor(LONG);
            assertNotNull(code, "the dyno did not exit; output: " + lines);
            return code;
        }

        void awaitLine(String line) throws InterruptedException {
            long deadline = System.nanoTime() + LONG.toNanos();
            while (!lines.contains(line)) {
                assertTrue(System.nanoTime() < deadline, "no line '" + line + "' in " + lines);
                Thread.sleep(50);
            }
        }
    }

    protected Dyno start(String command) throws IOException {
        return start("web.1", command, Map.of(), appDir());
    }

    protected Dyno start(String name, String command, Map<String, String> env, Path app) throws IOException {
        return new Dyno(name, command, env, app, 512L << 20, 256);
    }

    /** An app directory with a {@code .profile.d} script, owned by the dyno user as an unpacked slug is. */
    protected Path appDir() throws IOException {
        return appDir(APP);
    }

    /** An app directory of {@code appId}'s, owned by that app's dyno user. */
    protected Path appDir(String appId) throws IOException {
        Path app = Files.createTempDirectory(tmp, "app");
        Files.createDirectories(app.resolve(".profile.d"));
        Files.writeString(app.resolve(".profile.d/env.sh"), "export FROM_PROFILE=sourced\n");
        Files.writeString(app.resolve("hello.txt"), "hello from the slug\n");
        chownForDyno(app, appId);
        return app;
    }

    protected void chownForDyno(Path dir, String appId) throws IOException {
        int uid = driver().uidFor(appId);
        if (uid < 0 || !"root".equals(System.getProperty("user.name"))) return;
        Files.setAttribute(dir.getParent(), "posix:permissions",
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    @Test
    void platformAndConfigVarsAreSet() throws Exception {
        Dyno d = start("worker.2", "echo \"port=$PORT dyno=$DYNO ps=$PS home=$HOME foo=$FOO\"",
                Map.of("FOO", "bar baz", "PORT", "1"), appDir());
        assertEquals(0, d.exit());
        String home = driver().appPathInside(d.spec);
        assertTrue(d.lines.contains("port=" + d.spec.port() + " dyno=worker.2 ps=worker.2 home=" + home + " foo=bar baz"),
                d.lines.toString());
    }

    @Test
    void profileScriptsAreSourcedAndTheCommandRunsInTheAppDirectory() throws Exception {
        Dyno d = start("echo \"profile=$FROM_PROFILE\"; cat hello.txt");
        assertEquals(0, d.exit());
        assertTrue(d.lines.contains("profile=sourced"), d.lines.toString());
        assertTrue(d.lines.contains("hello from the slug"), d.lines.toString());
    }

    @Test
    void outputLinesOfStdoutAndStderrAndTheExitCodeArePassedOn() throws Exception {
        Dyno d = start("echo one; echo two >&2; printf 'three'; exit 3");
        assertEquals(3, d.exit());
        assertEquals(List.of("one", "two", "three"), d.lines);
    }

    @Test
    void sigtermReachesTheApp() throws Exception {
        Dyno d = start("trap 'echo got TERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done");
        d.awaitLine("ready");
        d.running.signal(RunningDyno.Signal.TERM);
        assertEquals(0, d.exit());
        assertTrue(d.lines.contains("got TERM"), d.lines.toString());
    }

    @Test
    void sigkillEndsAProcessThatIgnoresSigterm() throws Exception {
        Dyno d = start("trap '' TERM; echo ready; while true; do sleep 0.1; done");
        d.awaitLine("ready");
        d.running.signal(RunningDyno.Signal.TERM);
        d.running.signal(RunningDyno.Signal.KILL);
        assertEquals(137, d.exit());
    }

    @Test
    void stdinReachesTheProcess() throws Exception {
        Dyno d = start("read line; echo \"got $line\"; cat; echo end");
        OutputStream in = d.running.stdin();
        in.write("hello\nrest\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        in.close();
        assertEquals(0, d.exit());
        assertEquals(List.of("got hello", "rest", "end"), d.lines);
    }

    @Test
    void aWebDynoListeningOnPortIsReachable() throws Exception {
        Dyno d = start("exec python3 -m http.server $PORT --bind 0.0.0.0");
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!PortProbe.accepts("127.0.0.1", d.spec.port())) {
            assertTrue(d.running.waitFor(Duration.ofMillis(100)) == null, "the server exited: " + d.lines);
            assertTrue(System.nanoTime() < deadline, "never listened on $PORT: " + d.lines);
        }
        d.running.signal(RunningDyno.Signal.TERM);
        assertNotNull(d.running.waitFor(LONG));
    }

    @Test
    void aDynoIsListedFromItsStartUntilItExitedAndWasCleanedUp() throws Exception {
        Dyno d = start("echo ready; sleep 300");
        d.awaitLine("ready");
        assertTrue(driver().runningDynoIds().contains(d.spec.id()), driver().runningDynoIds().toString());
        d.running.signal(RunningDyno.Signal.KILL);
        assertNotNull(d.running.waitFor(LONG));
        d.running.cleanup();
        assertFalse(driver().runningDynoIds().contains(d.spec.id()), driver().runningDynoIds().toString());
    }

    @Test
    void dynosThatOutliveTheAgentAreRemovedAsLeftovers() throws Exception {
        Assumptions.assumeTrue(driver().dynosOutliveTheAgent(), "this driver's dynos die with the agent");
        Dyno d = start("echo ready; sleep 300");
        d.awaitLine("ready");
        assertEquals(List.of(d.spec.id()), driver().runningDynoIds());
        driver().cleanupLeftovers(); // what the next start of an agent that died does
        assertTrue(driver().runningDynoIds().isEmpty(), driver().runningDynoIds().toString());
        d.exit();
    }
}

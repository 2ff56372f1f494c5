package io.slipway.dynoagent.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The conformance suite plus what only a container gives: a non-root user, isolation, limits. */
class RuncDynoDriverTest extends DynoDriverConformance {
    private RuncDynoDriver driver;

    @BeforeAll
    static void needsRunc() {
        Assumptions.assumeTrue(RuncDynoDriver.usable("runc"), "runc tests need root and runc");
    }

    @Override
    protected DynoDriver driver() {
        if (driver == null) driver = new RuncDynoDriver("runc", tmp.resolve("runc-state"), Path.of("/"), "slipway-test-");
        return driver;
    }

    @Test
    void runsAsTheDynoUserNotRoot() throws Exception {
        Dyno d = start("echo \"uid=$(id -u) gid=$(id -g)\"");
        assertEquals(0, d.exit());
        assertTrue(d.lines.contains("uid=1000 gid=1000"), d.lines.toString());
    }

    @Test
    void seesNeitherAnotherDynosAppNorItsProcesses() throws Exception {
        Path appA = appDir();
        Files.writeString(appA.resolve("secret-of-a.txt"), "a");
        chownForDyno(appA);
        Dyno a = start("web.1", "echo ready; exec -a marker-of-dyno-a sleep 300", Map.of(), appA);
        a.awaitLine("ready");
        Dyno b = start("web.2", "ls /app; for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done",
                Map.of(), appDir());
        assertEquals(0, b.exit());
        assertTrue(b.lines.contains("hello.txt"), b.lines.toString());
        assertFalse(b.lines.contains("secret-of-a.txt"), b.lines.toString());
        assertFalse(b.lines.stream().anyMatch(l -> l.contains("marker-of-dyno-a")), b.lines.toString());
        assertTrue(b.lines.stream().noneMatch(l -> l.contains("java")), "sees the host's processes: " + b.lines);
    }

    @Test
    void theRootFileSystemIsReadOnlyButAppAndTmpAreWritable() throws Exception {
        Dyno d = start("touch /usr/x 2>/dev/null; echo usr=$?; touch /x 2>/dev/null; echo root=$?; "
                + "touch /app/x && echo app=ok; touch /tmp/x && echo tmp=ok");
        assertEquals(0, d.exit());
        assertFalse(d.lines.contains("usr=0"), d.lines.toString());
        assertFalse(d.lines.contains("root=0"), d.lines.toString());
        assertTrue(d.lines.contains("app=ok") && d.lines.contains("tmp=ok"), d.lines.toString());
    }

    @Test
    void aProcessGoingOverTheMemoryLimitIsKilled() throws Exception {
        Dyno d = new Dyno("web.1", "python3 -c \"b = bytearray(300 * 1024 * 1024); print('survived')\"", Map.of(),
                appDir(), 64L << 20, 256);
        int code = d.exit();
        assertEquals(137, code, d.lines.toString());
        assertFalse(d.lines.contains("survived"), d.lines.toString());
    }

    @Test
    void thePidsLimitHolds() throws Exception {
        String script = "import threading, time\n"
                + "started = 0\n"
                + "try:\n"
                + "    for i in range(200):\n"
                + "        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n"
                + "        started += 1\n"
                + "    print('all started')\n"
                + "except RuntimeError:\n"
                + "    print('limited')\n";
        Dyno d = new Dyno("worker.1", "python3 -c \"$SCRIPT\"", Map.of("SCRIPT", script), appDir(), 512L << 20, 32);
        d.exit();
        assertTrue(d.lines.contains("limited"), d.lines.toString());
        assertNotEquals(true, d.lines.contains("all started"));
    }

    @Test
    void leftoverContainersAreRemoved() throws Exception {
        Dyno d = start("echo ready; sleep 300");
        d.awaitLine("ready");
        assertEquals(1, ((RuncDynoDriver) driver()).containers().size());
        driver().cleanupLeftovers();
        assertTrue(((RuncDynoDriver) driver()).containers().isEmpty());
        d.exit();
    }
}

package io.slipway.launcher.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/bin/slipway-java.sh's {@code slipway_jit_opts}: the JIT compiler's threads ahead of the request threads, when
 * the user may raise a priority. {@code id} and {@code ulimit} are replaced by shell functions to play a user who
 * is not root (this machine's root cannot lower its own RLIMIT_NICE to try it for real).
 */
class SlipwayJitOptsTest {
    private static final String FLAGS = "-XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=-10";

    @TempDir
    Path work;

    @Test
    void rootGetsTheCompilerThreadsAtNiceMinusTen() throws Exception {
        assertEquals(FLAGS, opts("id() { echo 0; };", Map.of()));
    }

    @Test
    void aUserWhoseNiceLimitAllowsItGetsThemToo() throws Exception {
        // RLIMIT_NICE 30 (systemd's LimitNICE=-10): nice values down to 20 - 30 = -10
        assertEquals(FLAGS, opts("id() { echo 1000; }; ulimit() { echo 30; };", Map.of()));
        assertEquals(FLAGS, opts("id() { echo 1000; }; ulimit() { echo unlimited; };", Map.of()));
    }

    @Test
    void aUserWhoMayNotRaiseAPriorityGetsNoFlags() throws Exception {
        // the JVM would warn at every start and ignore them
        assertEquals("", opts("id() { echo 1000; }; ulimit() { echo 0; };", Map.of()));
        assertEquals("", opts("id() { echo 1000; }; ulimit() { echo 29; };", Map.of()));
    }

    @Test
    void theNiceValueIsChosenOrTurnedOff() throws Exception {
        assertEquals("-XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=-5",
                opts("id() { echo 1000; }; ulimit() { echo 25; };", Map.of("SLIPWAY_JIT_NICE", "-5")));
        assertEquals("", opts("id() { echo 0; };", Map.of("SLIPWAY_JIT_NICE", "off")));
        LaunchScripts.Result bad = LaunchScripts.bash("slipway_jit_opts", Map.of("SLIPWAY_JIT_NICE", "-10; rm"), work);
        assertNotEquals(0, bad.exit());
    }

    /** The flags as a real JVM takes them: its C2 compiler thread runs at nice -10, its main thread at 0. */
    @Test
    void aJvmStartedWithTheFlagsRunsItsCompilerAtNiceMinusTen() throws Exception {
        assumeTrue("0".equals(LaunchScripts.bash("id -u", Map.of(), work).stdout()), "raising a priority needs root here");
        Path probe = Files.writeString(work.resolve("Nice.java"), """
                import java.nio.file.*;
                public class Nice {
                    public static void main(String[] a) throws Exception {
                        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                            for (Path t : tasks.toList()) {
                                String comm = Files.readString(t.resolve("comm")).trim();
                                String stat = Files.readString(t.resolve("stat"));
                                // fields after the command's closing parenthesis; nice is field 19 of stat
                                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                                if (comm.startsWith("C2 Compiler") || comm.equals("java")) System.out.println(comm + "=" + f[16]);
                            }
                        }
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(FLAGS.split(" ")));
        cmd.add(probe.toString());
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(work.resolve("java.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals(true, lines.contains("C2 CompilerThre=-10"), out);
        assertEquals(true, lines.contains("java=0"), out);
    }

    private String opts(String fakes, Map<String, String> env) throws Exception {
        LaunchScripts.Result r = LaunchScripts.bash(fakes + " slipway_jit_opts && echo \"${SLIPWAY_JIT_OPTS[*]}\"", env, work);
        assertEquals(0, r.exit());
        return r.stdout();
    }
}

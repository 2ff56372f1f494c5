package io.slipway.dynoagent.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The container init of {@link LaunchScript} as pid 1 of a real pid namespace ({@code unshare --pid --fork}),
 * sent SIGTERM together with every process under it, as {@code runc kill --all} does. The app traps TERM and
 * exits 0 at once, which is the race that made a dyno report 143: an init with a TERM trap had its {@code wait}
 * interrupted and then found the app already reaped. Many rounds, because the race is a narrow one.
 */
class LaunchScriptInitTest {
    private static final String APP = "trap 'echo got TERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done";
    private static final int ROUNDS = 40;

    @Test
    void theAppsOwnExitStatusSurvivesSigtermToEveryProcess() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "pid namespaces need root");
        for (int round = 0; round < ROUNDS; round++) {
            List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork"));
            command.addAll(LaunchScript.args(APP, false, true));
            Process unshare = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(unshare.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine(), "round " + round);
            List<ProcessHandle> all = unshare.descendants().collect(Collectors.toList());
            assertTrue(all.size() >= 2, "init and app under unshare: " + all);
            all.forEach(ProcessHandle::destroy); // SIGTERM to each, back to back
            assertTrue(unshare.waitFor(20, TimeUnit.SECONDS), "the dyno ends on SIGTERM (round " + round + ")");
            String rest = out.lines().collect(Collectors.joining("\n"));
            assertEquals(0, unshare.exitValue(), "round " + round + ", output: " + rest);
            assertTrue(rest.contains("got TERM"), rest);
        }
    }
}

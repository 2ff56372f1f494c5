package io.slipway.dynoagent.support;

import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.drivers.DynoDriver;
import io.slipway.dynoagent.drivers.Drivers;
import io.slipway.dynoagent.drivers.ProcessDynoDriver;
import io.slipway.dynoagent.drivers.RuncDynoDriver;
import io.slipway.shared.net.LocalPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Configurations, drivers and assignments for tests. */
public final class TestAgents {
    private TestAgents() {}

    public static AgentConfig config(StubApiServer api, Path dataDir) throws IOException {
        // a range starting at a random free port keeps parallel test runs apart; all of it below the ephemeral
        // range, where no outgoing connection takes one of its ports before a dyno binds it (LocalPorts)
        int from = Math.min(LocalPorts.freePort(),
                Math.max(LocalPorts.FIRST_CHOSEN, LocalPorts.ephemeralRangeStart() - 201));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SLIPWAY_INTERNAL_API_URL", api.url().toString());
        env.put("SLIPWAY_INTERNAL_TOKEN", StubApiServer.TOKEN);
        env.put("SLIPWAY_AGENT_DATA_DIR", dataDir.toString());
        env.put("SLIPWAY_AGENT_ID", "agent-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("SLIPWAY_AGENT_PORT_RANGE", from + "-" + (from + 200));
        return AgentConfig.fromEnv(env).withTimings(Duration.ofSeconds(30), Duration.ofSeconds(3),
                Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60));
    }

    /**
     * The real runc driver, sandboxed, when this host can run it (CI runs as root with runc, ip and nft), else
     * the process driver, which a real agent only runs when told to ({@code SLIPWAY_INSECURE_DYNOS=1}).
     */
    public static DynoDriver driver(AgentConfig config) {
        if (Drivers.sandboxProblem("runc") == null) {
            return new RuncDynoDriver("runc", config.dataDir(), Path.of("/"), config.agentId(), config.sandbox());
        }
        return new ProcessDynoDriver();
    }

    public static Map<String, Object> assignment(String name, String command, String slugUrl, String checksum) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("dyno_id", UUID.randomUUID().toString());
        a.put("app_id", UUID.randomUUID().toString());
        a.put("app_name", "demo");
        a.put("name", name);
        a.put("type", name.substring(0, name.indexOf('.')));
        a.put("command", command);
        a.put("size", "Basic");
        a.put("memory_mb", 512L);
        a.put("max_pids", 256L);
        a.put("release_id", UUID.randomUUID().toString());
        a.put("release_version", 3L);
        Map<String, Object> slug = new LinkedHashMap<>();
        slug.put("id", UUID.randomUUID().toString());
        slug.put("url", slugUrl);
        slug.put("checksum", checksum);
        a.put("slug", slug);
        a.put("env", Map.of("GREETING", "hello"));
        a.put("desired_state", "up");
        a.put("restart_generation", 0L);
        a.put("one_off", name.startsWith("run."));
        a.put("attach", null);
        return a;
    }
}

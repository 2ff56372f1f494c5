package io.slipway.launcher;

import io.slipway.dynoagent.DynoAgent;
import io.slipway.dynoagent.config.AgentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs this machine's dyno-agent inside the launcher's JVM, registered with the local api-server's internal
 * listener with a token bound to its agent id. Dynos run sandboxed (runc, own network namespace); where that is
 * impossible (not root, no runc, ip or nft) the agent refuses to start unless the operator asked for dynos without
 * isolation ({@code slipway up --insecure-dynos}, or {@code SLIPWAY_INSECURE_DYNOS=1}). Stopping the platform stops
 * the dynos (SIGTERM first).
 */
final class DynoAgentRunner {
    private DynoAgentRunner() {}

    static AutoCloseable start(LauncherConfig config, Path agentDir, Path caCert, String internalUrl, String agentId,
                               String token, java.util.List<String> addonServices) {
        // the operator's SLIPWAY_AGENT_* settings apply; what the launcher owns is set here
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SLIPWAY_INTERNAL_API_URL", internalUrl);
        // the agent's token acts for this id only (InternalTokens)
        env.put("SLIPWAY_AGENT_ID", agentId);
        env.put("SLIPWAY_INTERNAL_TOKEN", token);
        env.put("SLIPWAY_CA_FILE", caCert.toString());
        env.put("SLIPWAY_AGENT_DATA_DIR", agentDir.toString());
        env.putIfAbsent("SLIPWAY_AGENT_HOST", LauncherConfig.HOST);
        if (config.insecureDynos()) env.put("SLIPWAY_INSECURE_DYNOS", "1");
        // dynos reach this machine's add-on servers (apps' PostgreSQL, Redis instances) and nothing else on it
        java.util.List<String> services = new java.util.ArrayList<>(addonServices);
        String operators = env.getOrDefault("SLIPWAY_SANDBOX_SERVICES", "");
        if (!operators.isBlank()) services.add(operators);
        env.put("SLIPWAY_SANDBOX_SERVICES", String.join(",", services));
        DynoAgent agent = new DynoAgent(AgentConfig.fromEnv(env));
        try {
            agent.start();
        } catch (IOException e) {
            throw new UncheckedIOException("The dyno-agent did not start: " + e.getMessage(), e);
        }
        return agent::close;
    }
}

package io.slipway.dynoagent;

import io.slipway.dynoagent.config.AgentConfig;
import java.util.concurrent.CountDownLatch;

/** Runs a dyno-agent configured from the environment until the JVM is asked to stop (which stops the dynos). */
public final class DynoAgentMain {
    private DynoAgentMain() {}

    public static void main(String[] args) throws Exception {
        AgentConfig config;
        try {
            config = AgentConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("dyno-agent: " + e.getMessage());
            System.exit(2);
            return;
        }
        DynoAgent agent = new DynoAgent(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "dyno-agent-shutdown"));
        agent.start();
        stopped.await();
    }
}

package io.slipway.gitgateway;

import java.util.concurrent.CountDownLatch;

/** {@code java -cp ... io.slipway.gitgateway.GitGatewayMain}: the git-gateway alone, configured from the environment. */
public final class GitGatewayMain {
    private GitGatewayMain() {}

    public static void main(String[] args) throws Exception {
        GitGatewayConfig config;
        try {
            config = GitGatewayConfig.fromEnv();
        } catch (IllegalArgumentException e) {
            System.err.println("git-gateway: " + e.getMessage());
            System.exit(2);
            return;
        }
        GitGateway gateway = new GitGateway(config);
        gateway.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.stop();
            stopped.countDown();
        }, "git-gateway-shutdown"));
        stopped.await();
    }
}

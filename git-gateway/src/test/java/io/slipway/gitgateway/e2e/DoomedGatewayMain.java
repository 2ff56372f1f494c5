package io.slipway.gitgateway.e2e;

import io.slipway.gitgateway.GitGateway;
import io.slipway.gitgateway.GitGatewayConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A real git-gateway in its own JVM (started by {@link GatewayKilledMidPushTest}, then killed with SIGKILL) whose
 * builds print a line and never end, so that a push is held in the middle: pack received, build running, push lock
 * held, repository not yet written back.
 * Arguments: apiUrl internalUrl token httpPort sshPort hostKey workDir caPem nodeId maxPackBytes.
 */
public final class DoomedGatewayMain {
    private DoomedGatewayMain() {}

    public static void main(String[] a) throws Exception {
        GitGatewayConfig config = new GitGatewayConfig(URI.create(a[0]), URI.create(a[1]), a[2], Integer.parseInt(a[3]),
                "127.0.0.1", Integer.parseInt(a[4]), "127.0.0.1", Path.of(a[5]), Path.of(a[6]), Path.of(a[7]), a[8],
                Long.parseLong(a[9]));
        GitGateway gateway = new GitGateway(config, api -> (request, output) -> {
            output.accept("-----> Building in the gateway that is about to die");
            new CountDownLatch(1).await(); // until the process is killed
            throw new IllegalStateException("unreachable");
        });
        gateway.start();
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}

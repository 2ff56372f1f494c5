package io.slipway.api.support;

import io.slipway.api.ApiServerApplication;
import io.slipway.api.rendezvous.RendezvousServer;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another api-server replica in the test JVM: its own Spring context, HTTP, internal and rendezvous listeners on
 * free ports, on the same PostgreSQL and with the same settings as {@link ApiTest}'s context (which is the
 * first replica), so a test can land a user's or a component's calls on either. Extra arguments override the
 * shared ones ({@code --name=value}). Close it to stop it. {@link #second()} is one such replica shared by the
 * tests of a class that does not stop it itself; such a class is annotated {@code @ExtendWith(Replica.StopSecond.class)}.
 */
public final class Replica implements AutoCloseable {
    private static Replica second;
    private final ConfigurableApplicationContext context;

    /** The second replica of ApiTest's, started once for a test class and stopped after it ({@link StopSecond}). */
    public static synchronized Replica second() {
        if (second == null) second = start();
        return second;
    }

    /**
     * Stops {@link #second()} after the test class that used it. A replica left running would go on doing its
     * background work (the app setups' fetches, the scheduler, the sweeps) with ApiTest's settings only, and take
     * that work from later test classes whose contexts have settings of their own (an object store, for one).
     */
    public static final class StopSecond implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) {
            synchronized (Replica.class) {
                if (second != null) second.close();
                second = null;
            }
        }
    }

    private Replica(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static Replica start(String... overrides) {
        List<String> args = new ArrayList<>(ApiTest.replicaArguments());
        for (String o : overrides) {
            String name = o.substring(0, o.indexOf('=') + 1);
            args.removeIf(a -> a.startsWith(name));
            args.add(o);
        }
        return new Replica(new SpringApplicationBuilder(ApiServerApplication.class).run(args.toArray(new String[0])));
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    public String internalBaseUrl() {
        return "http://127.0.0.1:" + context.getBean(InternalListener.class).localPort();
    }

    public int rendezvousPort() {
        return context.getBean(RendezvousServer.class).port();
    }

    /** A call to this replica's public API (as {@link ApiTest#call}). */
    public ApiTest.Call call(String method, String path) {
        return new ApiTest.Call(baseUrl(), method, path);
    }

    /** A call to this replica's internal listener with a component role's token. */
    public ApiTest.Call asComponent(ComponentRole role, String method, String path) {
        return new ApiTest.Call(internalBaseUrl(), method, path).header("Authorization", "Bearer " + ApiTest.token(role));
    }

    /** A call to this replica's internal listener as one agent of the pool. */
    public ApiTest.Call asAgent(String agentId, String method, String path) {
        return new ApiTest.Call(internalBaseUrl(), method, path)
                .header("Authorization", "Bearer " + ApiTest.agentToken(agentId));
    }

    @Override
    public void close() {
        context.close();
    }
}

package io.slipway.dynoagent;

import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.dynos.DynoState;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The agent's heartbeat, carrying every dyno's state (so a state report that failed is not lost), on a thread of
 * its own: a slow resync (an api-server timing out) never delays one, or the agent would look lost and its dynos
 * be placed elsewhere. Beats start once the agent is registered; an api-server that answers 404 no longer knows
 * the agent, which must register again.
 */
final class Heartbeats implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Heartbeats.class.getName());

    private final AgentsClient api;
    private final Supplier<Map<String, DynoState>> states;
    private final Runnable unknownAgent;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dyno-agent-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean registered;
    private volatile boolean closed;
    private volatile int intervalSeconds = 3;

    /**
     * @param states the dynos' states now
     * @param unknownAgent called (on the heartbeat thread) when the api-server does not know the agent
     */
    Heartbeats(AgentsClient api, Supplier<Map<String, DynoState>> states, Runnable unknownAgent) {
        this.api = api;
        this.states = states;
        this.unknownAgent = unknownAgent;
    }

    void start() {
        schedule();
    }

    /** Registered (again), with the interval the api-server asks for: beats go out. */
    void registered(int seconds) {
        intervalSeconds = seconds;
        registered = true;
    }

    boolean isRegistered() {
        return registered;
    }

    /** The api-server no longer knows the agent: no beats until it registered again. */
    void unregistered() {
        registered = false;
    }

    int intervalSeconds() {
        return intervalSeconds;
    }

    private void schedule() {
        if (closed) return;
        try {
            thread.schedule(() -> {
                try {
                    beat();
                } finally {
                    schedule();
                }
            }, intervalSeconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    private void beat() {
        if (!registered) return; // the resync registers first
        try {
            api.heartbeat(states.get());
        } catch (IOException e) {
            if (!InternalApiException.notFound(e)) {
                LOG.fine("heartbeat failed: " + e.getMessage());
                return;
            }
            LOG.warning("the api-server does not know this agent (any more): registering again");
            registered = false;
            unknownAgent.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
    }
}

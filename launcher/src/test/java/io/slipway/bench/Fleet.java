package io.slipway.bench;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What the simulated agents share: the HTTP client, one timer thread, counters and the driver's probes. */
final class Fleet {
    /** The driver's client (public API). */
    final SimHttp http;
    /** The agents' clients, a few dozen agents each: the JDK 17 client's connection pool is a list. */
    private final SimHttp[] agentHttp;
    final ScheduledExecutorService timer;
    final String internalUrl;
    volatile boolean heartbeatsPaused;
    final AtomicLong heartbeatsOk = new AtomicLong();
    final AtomicLong heartbeatsFailed = new AtomicLong();
    final AtomicLong assignmentReads = new AtomicLong();
    final AtomicLong stateReports = new AtomicLong();
    final AtomicLong eventsReceived = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicInteger dynosUp = new AtomicInteger();
    /** "app/dyno name" → completed with System.nanoTime() when an agent first sees that dyno assigned, up. */
    private final Map<String, CompletableFuture<Long>> assignmentWatches = new ConcurrentHashMap<>();
    private volatile FanoutProbe fanout;

    Fleet(SimHttp http, SimHttp[] agentHttp, ScheduledExecutorService timer, String internalUrl) {
        this.http = http;
        this.agentHttp = agentHttp;
        this.timer = timer;
        this.internalUrl = internalUrl;
    }

    /** The client of agent number {@code i}. */
    SimHttp httpOf(int i) {
        return agentHttp[i % agentHttp.length];
    }

    CompletableFuture<Long> watchAssignment(String app, String dyno) {
        return assignmentWatches.computeIfAbsent(app + "/" + dyno, k -> new CompletableFuture<>());
    }

    void forget(String app, String dyno) {
        assignmentWatches.remove(app + "/" + dyno);
    }

    void assigned(String app, String dyno, long nanos) {
        CompletableFuture<Long> w = assignmentWatches.get(app + "/" + dyno);
        if (w != null) w.complete(nanos);
    }

    void fanout(FanoutProbe probe) {
        this.fanout = probe;
    }

    /** An app.maintenance event reached one follower. */
    void maintenanceEvent(String data, long nanos) {
        FanoutProbe p = fanout;
        if (p != null) p.arrived(data, nanos);
    }

    /** One fan-out trial: the arrival time at each follower of the event whose data contains {@code marker}. */
    static final class FanoutProbe {
        final String app;
        final String marker;
        final long[] arrivals;
        final AtomicInteger count = new AtomicInteger();
        final CompletableFuture<Void> all = new CompletableFuture<>();

        FanoutProbe(String app, boolean maintenance, int followers) {
            this.app = app;
            this.marker = "\"maintenance\":" + maintenance;
            this.arrivals = new long[followers];
        }

        void arrived(String data, long nanos) {
            if (!data.contains("\"app_name\":\"" + app + "\"") || !data.contains(marker)) return;
            int i = count.getAndIncrement();
            if (i < arrivals.length) arrivals[i] = nanos;
            if (i + 1 == arrivals.length) all.complete(null);
        }
    }
}

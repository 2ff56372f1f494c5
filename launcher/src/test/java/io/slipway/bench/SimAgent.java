package io.slipway.bench;

import io.slipway.shared.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One simulated dyno-agent, speaking the internal API as {@code io.slipway.dynoagent.DynoAgent} does: it registers,
 * reads its assignments, follows {@code /internal/events} from their seq and re-reads them when an
 * {@code agent.assignments_changed} names it (and every 15 s as a backstop), heartbeats at the interval the
 * registration answered with, and reports each newly assigned dyno {@code up} at once (no process runs) and each
 * retired one {@code down}. Everything is asynchronous: an agent costs no thread.
 */
final class SimAgent {
    private static final Duration RESYNC = Duration.ofSeconds(15); // the real agent's SLIPWAY_AGENT_RESYNC_SECONDS
    private final Fleet fleet;
    private final SimHttp http;
    final String id;
    private final String token;
    private final String base;
    private final Map<String, String> states = new ConcurrentHashMap<>(); // dyno id → reported state
    private final Set<String> reportedDown = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean readAgain = new AtomicBoolean();
    private final AtomicBoolean heartbeating = new AtomicBoolean();
    private volatile int heartbeatSeconds = 5;
    private volatile long lastSeq;
    private volatile boolean following;
    private volatile boolean closed;
    private int nextPort = 40000;

    SimAgent(Fleet fleet, SimHttp http, String id, String token) {
        this.fleet = fleet;
        this.http = http;
        this.id = id;
        this.token = token;
        this.base = fleet.internalUrl + "/internal/agents/" + id;
    }

    /** Registers, reads the assignments, starts following the stream and the timers. */
    CompletableFuture<Void> start() {
        return register().thenCompose(v -> readAssignments()).thenRun(() -> {
            follow();
            long hb = heartbeatSeconds * 1000L;
            fleet.timer.scheduleWithFixedDelay(this::heartbeat, ThreadLocalRandom.current().nextLong(hb), hb,
                    TimeUnit.MILLISECONDS);
            long rs = RESYNC.toMillis();
            fleet.timer.scheduleWithFixedDelay(this::readAssignments, ThreadLocalRandom.current().nextLong(rs), rs,
                    TimeUnit.MILLISECONDS);
        });
    }

    void close() {
        closed = true;
    }

    private CompletableFuture<Void> register() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent_id", id);
        body.put("host", "127.0.0.1");
        body.put("memory_mb", 16384);
        body.put("dyno_slots", 32);
        return http.internal("POST", fleet.internalUrl + "/internal/agents", token, body).thenAccept(a -> {
            if (a.status() != 200) throw new IllegalStateException("register " + id + ": HTTP " + a.status() + " " + a.body());
            Object hb = Json.parseObject(a.body()).get("heartbeat_seconds");
            if (hb instanceof Number n && n.intValue() > 0) heartbeatSeconds = n.intValue();
        });
    }

    private void heartbeat() {
        if (closed || fleet.heartbeatsPaused) return;
        // the real agent sends the next heartbeat an interval after the last one returned: never two at once
        if (!heartbeating.compareAndSet(false, true)) return;
        List<Object> dynos = new ArrayList<>();
        states.forEach((d, s) -> dynos.add(Map.of("dyno_id", d, "state", s)));
        http.internal("POST", base + "/heartbeat", token, Map.of("dynos", dynos)).whenComplete((a, e) -> {
            heartbeating.set(false);
            if (e == null && a.status() == 200) {
                fleet.heartbeatsOk.incrementAndGet();
            } else {
                fleet.heartbeatsFailed.incrementAndGet();
                if (e == null && a.status() == 404) register(); // as the real agent: unknown → register again
            }
        });
    }

    /** One read at a time per agent; a request while one runs reads once more after it (the real agent's lock). */
    CompletableFuture<Void> readAssignments() {
        if (closed) return CompletableFuture.completedFuture(null);
        if (!reading.compareAndSet(false, true)) {
            readAgain.set(true);
            return CompletableFuture.completedFuture(null);
        }
        fleet.assignmentReads.incrementAndGet();
        return http.internal("GET", base + "/assignments", token, null).thenCompose(a -> {
            if (a.status() == 200) reconcile(Json.parseObject(a.body()));
            return CompletableFuture.<Void>completedFuture(null);
        }).whenComplete((v, e) -> {
            reading.set(false);
            if (readAgain.getAndSet(false)) readAssignments();
        });
    }

    private void reconcile(Map<String, Object> answer) {
        if (lastSeq == 0 && answer.get("seq") instanceof Number n) lastSeq = n.longValue();
        long now = System.nanoTime();
        Set<String> seen = new HashSet<>();
        for (Object o : Json.array(answer.get("dynos"))) {
            Map<String, Object> d = Json.object(o);
            String dynoId = (String) d.get("dyno_id");
            seen.add(dynoId);
            if ("up".equals(d.get("desired_state"))) {
                if (states.putIfAbsent(dynoId, "up") == null) {
                    fleet.assigned((String) d.get("app_name"), (String) d.get("name"), now);
                    fleet.dynosUp.incrementAndGet();
                    report(dynoId, "up", nextPort++);
                }
            } else if (reportedDown.add(dynoId)) {
                if (states.remove(dynoId) != null) fleet.dynosUp.decrementAndGet();
                report(dynoId, "down", null);
            }
        }
        states.keySet().removeIf(d -> {
            boolean gone = !seen.contains(d);
            if (gone) fleet.dynosUp.decrementAndGet();
            return gone;
        });
        reportedDown.retainAll(seen);
    }

    private void report(String dynoId, String state, Integer port) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state);
        body.put("port", port);
        body.put("exit_code", null);
        body.put("message", null);
        fleet.stateReports.incrementAndGet();
        http.internal("POST", base + "/dynos/" + dynoId + "/state", token, body);
    }

    private void follow() {
        if (closed || following) return;
        following = true;
        SseParser parser = new SseParser(this::onEvent);
        HttpRequest request = HttpRequest.newBuilder(URI.create(fleet.internalUrl + "/internal/events?after=" + lastSeq))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(lastSeq)).GET().build();
        http.client().sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new LineSink(parser)))
                .whenComplete((r, e) -> {
                    following = false;
                    if (closed) return;
                    fleet.reconnects.incrementAndGet();
                    fleet.timer.schedule(this::follow, 1, TimeUnit.SECONDS); // the real client backs off from 500 ms
                });
    }

    private void onEvent(SseParser.Message m) {
        long now = System.nanoTime();
        fleet.eventsReceived.incrementAndGet();
        try {
            lastSeq = Long.parseLong(m.id());
        } catch (NumberFormatException ignored) {
            // not an event of the log
        }
        if ("agent.assignments_changed".equals(m.event())) {
            if (m.data().contains("\"agent_id\":\"" + id + "\"")) readAssignments();
        } else if ("app.maintenance".equals(m.event())) {
            fleet.maintenanceEvent(m.data(), now);
        }
    }

    /** Feeds the lines of the stream to the parser; asks for everything (the parser is cheap). */
    private static final class LineSink implements java.util.concurrent.Flow.Subscriber<String> {
        private final SseParser parser;

        LineSink(SseParser parser) {
            this.parser = parser;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            parser.line(line);
        }

        @Override
        public void onError(Throwable t) { }

        @Override
        public void onComplete() { }
    }
}

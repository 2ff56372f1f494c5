package io.slipway.dynoagent.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small stand-in for the api-server's side of the runtime contract (and for S3's presigned slug URLs): it
 * records what the agent sends and answers what a test sets. Only contract paths and JSON names are used.
 */
public final class StubApiServer implements AutoCloseable {
    public static final String TOKEN = "test-internal-token";

    private final HttpServer server;
    public final List<Map<String, Object>> logLines = new CopyOnWriteArrayList<>();
    public final List<Map<String, Object>> stateReports = new CopyOnWriteArrayList<>();
    public final List<Map<String, Object>> registrations = new CopyOnWriteArrayList<>();
    public final List<Map<String, Object>> heartbeats = new CopyOnWriteArrayList<>();
    public final AtomicInteger assignmentReads = new AtomicInteger();
    public final AtomicInteger unauthorized = new AtomicInteger();
    /** Calls answered 503 while {@link #goAway() away}, by kind: assignment reads and heartbeats. */
    public final AtomicInteger refusedReads = new AtomicInteger();
    public final AtomicInteger refusedHeartbeats = new AtomicInteger();
    /** Dyno ids whose state reports answer 404 (the api-server dropped the row). */
    public final java.util.Set<String> goneDynos = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile List<Map<String, Object>> assignments = List.of();
    private volatile boolean forgetAgents;
    private volatile boolean away;
    private volatile long seq;

    public StubApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stub-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves a file at {@code /files/<name>} (a presigned slug URL stand-in); answers its URL. */
    public String serve(String name, Path file) throws IOException {
        files.put(name, Files.readAllBytes(file));
        return url() + "/files/" + name;
    }

    public void setAssignments(List<Map<String, Object>> dynos) {
        assignments = List.copyOf(dynos);
    }

    /** Makes heartbeats answer 404 until the agent registers again. */
    public void forgetAgents() {
        forgetAgents = true;
    }

    /**
     * The api-server is away: every internal call answers 503 (what a balancer with no live replica answers) and
     * open event streams end, until {@link #comeBack()}. Unlike {@link #close()}, the agent's attempts are counted.
     */
    public void goAway() {
        away = true;
    }

    public void comeBack() {
        away = false;
    }

    /** Appends an event to the stream (followers get it at once). */
    public synchronized void publish(String type, Map<String, Object> payload) {
        seq++;
        events.add(Json.write(Map.of("seq", seq, "type", type, "payload", payload,
                "created_at", "2026-11-22T05:00:00Z")));
        notifyAll();
    }

    public synchronized long seq() {
        return seq;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/files/")) {
                byte[] body = files.get(path.substring("/files/".length()));
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
                return;
            }
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                unauthorized.incrementAndGet();
                answer(ex, 401, "{\"id\":\"unauthorized\",\"message\":\"bad token\"}");
                return;
            }
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = ex.getRequestMethod();
            String[] parts = path.split("/"); // "", internal, agents, id, ...
            if (away) {
                if (parts.length == 5 && parts[4].equals("assignments")) refusedReads.incrementAndGet();
                if (parts.length == 5 && parts[4].equals("heartbeat")) refusedHeartbeats.incrementAndGet();
                answer(ex, 503, "{\"id\":\"unavailable\",\"message\":\"no api-server\"}");
                return;
            }
            if (method.equals("POST") && path.equals("/internal/logs")) {
                for (Object line : Json.array(Json.parseObject(body).get("lines"))) logLines.add(Json.object(line));
                ex.sendResponseHeaders(204, -1);
            } else if (method.equals("POST") && path.equals("/internal/agents")) {
                Map<String, Object> reg = Json.parseObject(body);
                registrations.add(reg);
                forgetAgents = false;
                answer(ex, 200, Json.write(Map.of("agent_id", reg.get("agent_id"), "heartbeat_seconds", 1,
                        "lost_after_seconds", 30)));
            } else if (method.equals("POST") && parts.length == 5 && parts[4].equals("heartbeat")) {
                if (forgetAgents) {
                    answer(ex, 404, "{\"id\":\"not_found\",\"message\":\"unknown agent\"}");
                } else {
                    heartbeats.add(Json.parseObject(body));
                    answer(ex, 200, "{}");
                }
            } else if (method.equals("GET") && parts.length == 5 && parts[4].equals("assignments")) {
                assignmentReads.incrementAndGet();
                answer(ex, 200, Json.write(Map.of("seq", seq(), "dynos", new ArrayList<>(assignments))));
            } else if (method.equals("POST") && parts.length == 7 && parts[6].equals("state")) {
                Map<String, Object> report = new java.util.LinkedHashMap<>(Json.parseObject(body));
                report.put("dyno_id", parts[5]);
                stateReports.add(report);
                if (goneDynos.contains(parts[5])) answer(ex, 404, "{\"id\":\"not_found\",\"message\":\"no dyno\"}");
                else answer(ex, 200, "{}");
            } else if (method.equals("GET") && path.equals("/internal/events")) {
                stream(ex);
            } else {
                answer(ex, 404, "{\"id\":\"not_found\",\"message\":\"no route\"}");
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    private void stream(HttpExchange ex) throws IOException {
        String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
        long after = last == null ? 0 : Long.parseLong(last);
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        int sent = 0;
        try {
            while (!away) {
                List<String> toSend = new ArrayList<>();
                synchronized (this) {
                    if (events.size() == sent) wait(1000);
                    while (sent < events.size()) toSend.add(events.get(sent++));
                }
                for (String e : toSend) {
                    long s = ((Number) Json.parseObject(e).get("seq")).longValue();
                    if (s <= after) continue;
                    out.write(("id: " + s + "\ndata: " + e + "\n\n").getBytes(StandardCharsets.UTF_8));
                }
                if (toSend.isEmpty()) out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    /** The messages of the lines shipped for one dyno and source, in order. */
    public List<String> messages(String source, String dyno) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> l : logLines) {
            if (source.equals(l.get("source")) && dyno.equals(l.get("dyno"))) out.add((String) l.get("message"));
        }
        return out;
    }

    /** The states reported for a dyno, in order. */
    public List<String> states(String dynoId) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : stateReports) if (dynoId.equals(r.get("dyno_id"))) out.add((String) r.get("state"));
        return out;
    }

    /** Waits (generously) until the condition holds. */
    public static void await(String what, Predicate<Void> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.test(null)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

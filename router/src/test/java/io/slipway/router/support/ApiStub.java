package io.slipway.router.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A small stand-in for the api-server's side of the routes contract: {@code GET /internal/routes},
 * {@code GET /internal/routes/{app_id}}, the SSE event stream {@code GET /internal/events}, and
 * {@code POST /internal/logs} (lines are kept for assertions). Everything checks the bearer token.
 */
public final class ApiStub implements AutoCloseable {
    public static final String TOKEN = "test-internal-token";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "api-stub");
        t.setDaemon(true);
        return t;
    });
    private final Map<UUID, Map<String, Object>> routes = new LinkedHashMap<>();
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final List<Map<String, Object>> logLines = new CopyOnWriteArrayList<>();
    /** The TLS contract: each app's SNI endpoints (the E objects of {@code GET /internal/tls/{app_id}}). */
    private final Map<UUID, List<Map<String, Object>>> endpoints = new LinkedHashMap<>();
    private volatile boolean tlsApi = true;
    private long seq = 100;
    private volatile boolean routesAvailable = true;
    private volatile boolean closed;
    /** ACME challenges under way: "token host" → key authorization (the api-server's contract, per host). */
    private final Map<String, String> challenges = new java.util.concurrent.ConcurrentHashMap<>();

    public ApiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/internal/routes", this::routes);
        server.createContext("/internal/tls", this::tls);
        server.createContext("/internal/events", this::events);
        server.createContext("/internal/logs", this::logs);
        server.createContext("/internal/acme-challenges/", this::acmeChallenge);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** While false, {@code GET /internal/routes} answers 503 (an api-server still starting). */
    public void routesAvailable(boolean available) {
        routesAvailable = available;
    }

    /** Sets an app's R object (without an event). */
    public synchronized void putApp(Map<String, Object> r) {
        routes.put(UUID.fromString((String) r.get("app_id")), r);
    }

    public synchronized void removeApp(UUID appId) {
        routes.remove(appId);
        endpoints.remove(appId);
    }

    /** While false, {@code /internal/tls} answers 404 everywhere (an api-server that predates certificates). */
    public void tlsApi(boolean available) {
        tlsApi = available;
    }

    /** Sets an app's SNI endpoints (without an event); an empty list removes them. */
    public synchronized void putEndpoints(UUID appId, List<Map<String, Object>> list) {
        if (list.isEmpty()) endpoints.remove(appId);
        else endpoints.put(appId, list);
    }

    /** An E object of the TLS contract. */
    public static Map<String, Object> endpoint(String name, List<String> hostnames, String chainPem, String keyPem,
                                               String updatedAt) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
        e.put("name", name);
        e.put("hostnames", hostnames);
        e.put("certificate_chain", chainPem);
        e.put("private_key", keyPem);
        e.put("updated_at", updatedAt);
        return e;
    }

    /** Appends an event to the stream, as the api-server would after a change. */
    public synchronized void emit(String type, UUID appId) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("seq", ++seq);
        e.put("type", type);
        e.put("app_id", appId.toString());
        e.put("app_name", "x");
        e.put("payload", Map.of());
        e.put("created_at", "2026-11-22T05:00:00Z");
        events.add(e);
        notifyAll();
    }

    public List<String> routerLogMessages() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> l : logLines) {
            if ("heroku".equals(l.get("source")) && "router".equals(l.get("dyno"))) out.add((String) l.get("message"));
        }
        return out;
    }

    public List<Map<String, Object>> logLines() {
        return logLines;
    }

    /** An R object of the contract. */
    public static Map<String, Object> app(UUID id, String name, List<String> hosts, String webState,
                                          boolean maintenance, int... dynoPorts) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("app_id", id.toString());
        r.put("app_name", name);
        r.put("hostnames", hosts);
        r.put("maintenance", maintenance);
        r.put("web_state", webState);
        List<Object> dynos = new ArrayList<>();
        int i = 1;
        for (int port : dynoPorts) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("dyno_id", UUID.randomUUID().toString());
            d.put("name", "web." + i++);
            d.put("host", "127.0.0.1");
            d.put("port", port);
            dynos.add(d);
        }
        r.put("web_dynos", dynos);
        return r;
    }

    public void putChallenge(String token, String host, String keyAuthorization) {
        challenges.put(token + " " + host, keyAuthorization);
    }

    private void acmeChallenge(HttpExchange x) throws IOException {
        if (!authorized(x)) return;
        String token = x.getRequestURI().getPath().substring("/internal/acme-challenges/".length());
        String query = x.getRequestURI().getQuery();
        String host = query != null && query.startsWith("host=") ? query.substring(5) : "";
        String answer = challenges.get(token + " " + host);
        if (answer == null) send(x, 404, "{\"id\":\"not_found\",\"message\":\"no such challenge\"}");
        else send(x, 200, answer);
    }

    private boolean authorized(HttpExchange x) throws IOException {
        if (("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) return true;
        send(x, 401, "{\"id\":\"unauthorized\",\"message\":\"bad token\"}");
        return false;
    }

    private void routes(HttpExchange x) throws IOException {
        if (!authorized(x)) return;
        String path = x.getRequestURI().getPath();
        String rest = path.substring("/internal/routes".length());
        synchronized (this) {
            if (rest.isEmpty() || rest.equals("/")) {
                if (!routesAvailable) {
                    send(x, 503, "{\"id\":\"unavailable\",\"message\":\"starting\"}");
                    return;
                }
                send(x, 200, Json.write(Map.of("seq", seq, "apps", new ArrayList<>(routes.values()))));
                return;
            }
            Map<String, Object> r = routes.get(UUID.fromString(rest.substring(1)));
            if (r == null) send(x, 404, "{\"id\":\"not_found\",\"message\":\"no such app\"}");
            else send(x, 200, Json.write(r));
        }
    }

    private void tls(HttpExchange x) throws IOException {
        if (!authorized(x)) return;
        if (!tlsApi) {
            send(x, 404, "{\"id\":\"not_found\",\"message\":\"no such endpoint\"}");
            return;
        }
        String rest = x.getRequestURI().getPath().substring("/internal/tls".length());
        synchronized (this) {
            if (rest.isEmpty() || rest.equals("/")) {
                List<Object> apps = new ArrayList<>();
                for (Map.Entry<UUID, List<Map<String, Object>>> e : endpoints.entrySet()) {
                    apps.add(Map.of("app_id", e.getKey().toString(), "endpoints", e.getValue()));
                }
                send(x, 200, Json.write(Map.of("seq", seq, "apps", apps)));
                return;
            }
            UUID id = UUID.fromString(rest.substring(1));
            if (!routes.containsKey(id) && !endpoints.containsKey(id)) {
                send(x, 404, "{\"id\":\"not_found\",\"message\":\"no such app\"}");
                return;
            }
            send(x, 200, Json.write(Map.of("app_id", id.toString(), "endpoints", endpoints.getOrDefault(id, List.of()))));
        }
    }

    private void events(HttpExchange x) throws IOException {
        if (!authorized(x)) return;
        String last = x.getRequestHeaders().getFirst("Last-Event-ID");
        long after = last == null ? 0 : Long.parseLong(last);
        x.getResponseHeaders().set("Content-Type", "text/event-stream");
        x.sendResponseHeaders(200, 0);
        try (OutputStream out = x.getResponseBody()) {
            out.write(":ok\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!closed) {
                List<Map<String, Object>> batch = new ArrayList<>();
                synchronized (this) {
                    for (Map<String, Object> e : events) {
                        if ((Long) e.get("seq") > after) batch.add(e);
                    }
                    if (batch.isEmpty()) {
                        try {
                            wait(1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                StringBuilder frames = new StringBuilder(":keepalive\n\n");
                for (Map<String, Object> e : batch) {
                    frames.append("id: ").append(e.get("seq")).append('\n')
                            .append("data: ").append(Json.write(e)).append("\n\n");
                    after = (Long) e.get("seq");
                }
                out.write(frames.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the router went away
        }
    }

    private void logs(HttpExchange x) throws IOException {
        if (!authorized(x)) return;
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (Object line : Json.array(Json.parseObject(body).get("lines"))) logLines.add(Json.object(line));
        x.sendResponseHeaders(204, -1);
        x.close();
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    /** Stops answering at all (connections refused), like an api-server that went down. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}

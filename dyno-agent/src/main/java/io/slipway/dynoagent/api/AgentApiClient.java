package io.slipway.dynoagent.api;

import io.slipway.dynoagent.assignments.Assignment;
import io.slipway.shared.dynos.DynoState;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The agent's side of the api-server's {@code /internal/agents} contract. */
public final class AgentApiClient {
    private final String base;
    private final String token;
    private final HttpClient http;
    private final String agentId;

    /** The api-server does not know the agent (heartbeat) or the dyno (state report). */
    public static final class NotFoundException extends IOException {
        public NotFoundException(String message) {
            super(message);
        }
    }

    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

    public record Registration(int heartbeatSeconds, int lostAfterSeconds) {}

    public record Assignments(long seq, List<Assignment> dynos) {}

    public AgentApiClient(URI apiUrl, String token, HttpClient http, String agentId) {
        this.base = apiUrl.toString().replaceAll("/+$", "");
        this.token = token;
        this.http = http;
        this.agentId = agentId;
    }

    public Registration register(String host, int memoryMb, int dynoSlots) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent_id", agentId);
        body.put("host", host);
        body.put("memory_mb", memoryMb);
        body.put("dyno_slots", dynoSlots);
        Map<String, Object> answer = Json.parseObject(send("POST", "/internal/agents", body));
        return new Registration(intOr(answer.get("heartbeat_seconds"), 3), intOr(answer.get("lost_after_seconds"), 12));
    }

    /** @param states dyno id → state */
    public void heartbeat(Map<String, DynoState> states) throws IOException, InterruptedException {
        List<Object> dynos = new ArrayList<>();
        states.forEach((id, state) -> dynos.add(Map.of("dyno_id", id, "state", state.wire())));
        // short: a heartbeat stuck on a dead replica must not outlast the next one (the agent would look lost)
        send("POST", "/internal/agents/" + enc(agentId) + "/heartbeat", Map.of("dynos", dynos), HEARTBEAT_TIMEOUT);
    }

    public Assignments assignments() throws IOException, InterruptedException {
        Map<String, Object> answer = Json.parseObject(send("GET", "/internal/agents/" + enc(agentId) + "/assignments", null));
        List<Assignment> dynos = new ArrayList<>();
        for (Object o : Json.array(answer.get("dynos"))) dynos.add(Assignment.parse(Json.object(o)));
        Object seq = answer.get("seq");
        return new Assignments(seq instanceof Number n ? n.longValue() : 0, dynos);
    }

    /** Whether the api-server still has this volume (false only on its 404: gone for good). */
    public boolean volumeExists(String volumeId) throws IOException, InterruptedException {
        try {
            send("GET", "/internal/volumes/" + enc(volumeId), null);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Reports a dyno's state; {@link NotFoundException} when the api-server has no such dyno any more. */
    public void reportState(String dynoId, DynoState state, Integer port, Integer exitCode, String message)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state.wire());
        body.put("port", port);
        body.put("exit_code", exitCode);
        body.put("message", message);
        send("POST", "/internal/agents/" + enc(agentId) + "/dynos/" + enc(dynoId) + "/state", body);
    }

    private String send(String method, String path, Object body) throws IOException, InterruptedException {
        return send(method, path, body, Duration.ofSeconds(20));
    }

    private String send(String method, String path, Object body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 404) throw new NotFoundException(method + " " + path + " answered 404");
        if (status / 100 != 2) throw new IOException(method + " " + path + " answered HTTP " + status);
        String text = response.body();
        return text == null || text.isBlank() ? "{}" : text;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static int intOr(Object v, int fallback) {
        return v instanceof Number n && n.intValue() > 0 ? n.intValue() : fallback;
    }
}

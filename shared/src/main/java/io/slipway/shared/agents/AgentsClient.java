package io.slipway.shared.agents;

import io.slipway.shared.dynos.DynoState;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dyno-agent's side of the api-server's {@code /internal/agents} contract, on the agent's own token. A 404 (the
 * api-server does not know the agent or the dyno) is an {@link InternalApiException} with
 * {@link InternalApiException#notFound()}.
 */
public final class AgentsClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    // short: a heartbeat stuck on a dead replica must not outlast the next one (the agent would look lost)
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

    private final InternalTransport api;
    private final String agentId;

    public record Registration(int heartbeatSeconds, int lostAfterSeconds) {}

    public record Assignments(long seq, List<Assignment> dynos) {}

    public AgentsClient(InternalTransport api, String agentId) {
        this.api = api;
        this.agentId = agentId;
    }

    public Registration register(String host, int memoryMb, int dynoSlots) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent_id", agentId);
        body.put("host", host);
        body.put("memory_mb", memoryMb);
        body.put("dyno_slots", dynoSlots);
        Map<String, Object> answer = call("POST", "/internal/agents", body, TIMEOUT).json();
        return new Registration(intOr(answer.get("heartbeat_seconds"), 3), intOr(answer.get("lost_after_seconds"), 12));
    }

    /** @param states dyno id → state */
    public void heartbeat(Map<String, DynoState> states) throws IOException, InterruptedException {
        List<Object> dynos = new ArrayList<>();
        states.forEach((id, state) -> dynos.add(Map.of("dyno_id", id, "state", state.wire())));
        call("POST", self() + "/heartbeat", Map.of("dynos", dynos), HEARTBEAT_TIMEOUT);
    }

    public Assignments assignments() throws IOException, InterruptedException {
        Map<String, Object> answer = call("GET", self() + "/assignments", null, TIMEOUT).json();
        List<Assignment> dynos = new ArrayList<>();
        for (Object o : Json.array(answer.get("dynos"))) dynos.add(Assignment.parse(Json.object(o)));
        Object seq = answer.get("seq");
        return new Assignments(seq instanceof Number n ? n.longValue() : 0, dynos);
    }

    /** Whether the api-server still has this volume (false only on its 404: gone for good). */
    public boolean volumeExists(String volumeId) throws IOException, InterruptedException {
        try {
            call("GET", "/internal/volumes/" + InternalTransport.segment(volumeId), null, TIMEOUT);
            return true;
        } catch (InternalApiException e) {
            if (e.notFound()) return false;
            throw e;
        }
    }

    /** Reports a dyno's state; an {@link InternalApiException#notFound()} when the api-server has no such dyno. */
    public void reportState(String dynoId, DynoState state, Integer port, Integer exitCode, String message)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state.wire());
        body.put("port", port);
        body.put("exit_code", exitCode);
        body.put("message", message);
        call("POST", self() + "/dynos/" + InternalTransport.segment(dynoId) + "/state", body, TIMEOUT);
    }

    private String self() {
        return "/internal/agents/" + InternalTransport.segment(agentId);
    }

    private Reply call(String method, String path, Object body, Duration timeout)
            throws IOException, InterruptedException {
        try {
            return api.json(method, path, body, timeout).expectOk(method + " " + path);
        } catch (InterruptedIOException e) {
            if (Thread.interrupted()) throw new InterruptedException(e.getMessage()); // the agent's loops stop on it
            throw e;
        }
    }

    private static int intOr(Object v, int fallback) {
        return v instanceof Number n && n.intValue() > 0 ? n.intValue() : fallback;
    }
}

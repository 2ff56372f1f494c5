package io.slipway.api.agents.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.agents.AgentAssignments;
import io.slipway.api.agents.Assignment;
import io.slipway.api.agents.HeartbeatAgent;
import io.slipway.api.agents.RegisterAgent;
import io.slipway.api.agents.ReportDynoState;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.identity.Identities;
import io.slipway.api.web.InternalApi;
import io.slipway.api.web.InternalCaller;
import io.slipway.api.web.JsonBody;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The dyno-agent's side of the runtime (internal listener, docs/internal-api.md is the contract): register,
 * heartbeat, read assignments, report dyno states. An agent's token acts for its own agent id only: it registers
 * that id and no other, and another agent's assignments (which hold its dynos' config vars) or dynos are 403.
 */
@RestController
@InternalApi(ComponentRole.AGENT)
public class InternalAgentsController {
    private final RegisterAgent registerAgent;
    private final HeartbeatAgent heartbeatAgent;
    private final AgentAssignments assignments;
    private final ReportDynoState reportDynoState;
    private final ApiServerConfig.Runtime runtime;
    private final ObjectMapper mapper;

    public InternalAgentsController(RegisterAgent registerAgent, HeartbeatAgent heartbeatAgent,
                                    AgentAssignments assignments, ReportDynoState reportDynoState,
                                    ApiServerConfig config, ObjectMapper mapper) {
        this.registerAgent = registerAgent;
        this.heartbeatAgent = heartbeatAgent;
        this.assignments = assignments;
        this.reportDynoState = reportDynoState;
        this.runtime = config.runtime();
        this.mapper = mapper;
    }

    public record Registered(String agentId, int heartbeatSeconds, int lostAfterSeconds) {}

    @PostMapping("/internal/agents")
    public Registered register(InternalCaller caller, @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        String id = json.requireString("agent_id");
        if (id.isEmpty() || id.length() > 100 || id.chars().anyMatch(c -> c < 0x21 || c > 0x7e || c == '/')) {
            throw ApiErrors.invalidParams("Invalid `agent_id`: 1 to 100 visible ASCII characters, no `/`.");
        }
        caller.requireAgent(id);
        String host = json.requireString("host").strip();
        if (host.isEmpty()) throw ApiErrors.invalidParams("Invalid `host`: the address the router reaches dynos at.");
        int memory = positiveInt(json, "memory_mb");
        int slots = positiveInt(json, "dyno_slots");
        registerAgent.register(id, host, memory, slots);
        return new Registered(id, runtime.heartbeatSeconds(), runtime.lostAfterSeconds());
    }

    @PostMapping("/internal/agents/{agentId}/heartbeat")
    public Map<String, Object> heartbeat(InternalCaller caller, @PathVariable String agentId,
                                         @RequestBody(required = false) String body) {
        caller.requireAgent(agentId);
        JsonBody.parse(mapper, body);
        if (!heartbeatAgent.heartbeat(agentId)) throw ApiErrors.notFound("agent", agentId);
        return Map.of();
    }

    @GetMapping("/internal/agents/{agentId}/assignments")
    public Assignment.Assignments assignments(InternalCaller caller, @PathVariable String agentId) {
        caller.requireAgent(agentId);
        return assignments.of(agentId).orElseThrow(() -> ApiErrors.notFound("agent", agentId));
    }

    @PostMapping("/internal/agents/{agentId}/dynos/{dynoId}/state")
    public Map<String, Object> state(InternalCaller caller, @PathVariable String agentId, @PathVariable String dynoId,
                                     @RequestBody(required = false) String body) {
        caller.requireAgent(agentId);
        JsonBody json = JsonBody.parse(mapper, body);
        String state = json.requireString("state");
        if (!ReportDynoState.STATES.contains(state)) {
            throw ApiErrors.invalidParams("Invalid `state`: expected starting, up, crashed or down.");
        }
        Integer port = optInt(json, "port");
        if (port != null && (port < 1 || port > 65535)) throw ApiErrors.invalidParams("Invalid `port`.");
        Integer exitCode = optInt(json, "exit_code");
        UUID id = Identities.uuidOrNull(dynoId);
        if (id == null || !reportDynoState.report(agentId, id, state, port, exitCode)) {
            throw ApiErrors.notFound("dyno", dynoId);
        }
        return Map.of();
    }

    private static int positiveInt(JsonBody json, String field) {
        Integer n = optInt(json, field);
        if (n == null || n < 1) throw ApiErrors.invalidParams("Invalid `" + field + "`: expected a positive integer.");
        return n;
    }

    private static Integer optInt(JsonBody json, String field) {
        JsonNode n = json.node(field);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiErrors.invalidParams("Invalid `" + field + "`: expected an integer.");
        }
        return n.asInt();
    }
}

package io.slipway.launcher.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each agent's assignments as the agent itself reads them ({@code GET /internal/agents/{id}/assignments}, its token). */
final class AgentAssignments {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final String internalUrl;
    private final ClusterSecrets secrets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AgentAssignments(String internalUrl, ClusterSecrets secrets) {
        this.internalUrl = internalUrl;
        this.secrets = secrets;
    }

    /** Host name to the number of {@code app}'s web dynos desired up on it. */
    Map<String, Integer> webDynosPerAgent(ClusterLayout layout, String app) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ClusterHost host : layout.hostsRunning(Role.DYNO_AGENT)) {
            int n = 0;
            for (JsonNode dyno : assignments(layout.agentId(host), secrets.token(host)).path("dynos")) {
                if (app.equals(dyno.path("app_name").asString()) && "web".equals(dyno.path("type").asString())
                        && "up".equals(dyno.path("desired_state").asString())) {
                    n++;
                }
            }
            counts.put(host.name(), n);
        }
        return counts;
    }

    private JsonNode assignments(String agentId, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(internalUrl + "/internal/agents/" + agentId + "/assignments"))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("assignments of " + agentId + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("assignments of " + agentId + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

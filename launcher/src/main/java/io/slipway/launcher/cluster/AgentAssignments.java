package io.slipway.launcher.cluster;

import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.agents.Assignment;
import io.slipway.shared.internalapi.InternalTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Each agent's assignments as the agent itself reads them ({@code GET /internal/agents/{id}/assignments}, its token). */
final class AgentAssignments {
    private final URI internalUrl;
    private final ClusterSecrets secrets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AgentAssignments(String internalUrl, ClusterSecrets secrets) {
        this.internalUrl = URI.create(internalUrl);
        this.secrets = secrets;
    }

    /** Host name to the number of {@code app}'s web dynos desired up on it. */
    Map<String, Integer> webDynosPerAgent(ClusterLayout layout, String app) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ClusterHost host : layout.hostsRunning(Role.DYNO_AGENT)) {
            int n = 0;
            for (Assignment dyno : assignments(layout.agentId(host), secrets.token(host)).dynos()) {
                if (app.equals(dyno.appName()) && "web".equals(dyno.type()) && "up".equals(dyno.desiredState())) n++;
            }
            counts.put(host.name(), n);
        }
        return counts;
    }

    private AgentsClient.Assignments assignments(String agentId, String token) {
        try {
            return new AgentsClient(new InternalTransport(internalUrl, token, http), agentId).assignments();
        } catch (IOException e) {
            throw new IllegalStateException("assignments of " + agentId + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package io.slipway.api.scheduler;

import io.slipway.api.events.EventLog;
import io.slipway.api.fleet.DynoRow;
import io.slipway.shared.events.EventTypes;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The runtime's events, collected while a transaction changes dynos and written once per agent / app at the
 * end: {@code agent.assignments_changed} for every agent whose set changed, {@code routes.changed} for every
 * app whose routing may have, {@code dyno.state_changed} as they happen.
 */
@Component
public class RuntimeEvents {
    private final EventLog events;

    public RuntimeEvents(EventLog events) {
        this.events = events;
    }

    public Batch batch() {
        return new Batch();
    }

    public final class Batch {
        private final Set<String> agents = new LinkedHashSet<>();
        private final Map<UUID, String> routes = new LinkedHashMap<>();

        private Batch() {}

        public void agent(String agentId) {
            if (agentId != null) agents.add(agentId);
        }

        public void routes(UUID appId, String appName) {
            routes.put(appId, appName);
        }

        public void dynoState(DynoRow d, String state, String host, Integer port) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("dyno_id", d.id().toString());
            payload.put("name", d.name());
            payload.put("type", d.type());
            payload.put("release_id", d.releaseId() == null ? null : d.releaseId().toString());
            payload.put("state", state);
            payload.put("host", host);
            payload.put("port", port);
            events.append(EventTypes.DYNO_STATE_CHANGED, d.appId(), d.appName(), payload);
        }

        /** Must be called inside the transaction that made the changes. */
        public void publish() {
            routes.forEach((appId, appName) -> events.append(EventTypes.ROUTES_CHANGED, appId, appName, Map.of()));
            agents.forEach(a -> events.append(EventTypes.AGENT_ASSIGNMENTS_CHANGED, null, null, Map.of("agent_id", a)));
            routes.clear();
            agents.clear();
        }
    }
}

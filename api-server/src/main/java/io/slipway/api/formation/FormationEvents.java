package io.slipway.api.formation;

import io.slipway.api.apps.App;
import io.slipway.api.events.EventLog;
import io.slipway.shared.events.EventTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes {@code formation.changed} with the app's WHOLE formation, not the delta: a follower that missed
 * an event still converges on the next one.
 */
@Component
public class FormationEvents {
    private final FormationRepository formations;
    private final EventLog events;

    public FormationEvents(FormationRepository formations, EventLog events) {
        this.formations = formations;
        this.events = events;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public List<Formation> changed(App app) {
        formations.flush();
        List<Formation> all = formations.findByAppIdOrderByType(app.id());
        List<Map<String, Object>> payload = all.stream().map(f -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("type", f.type());
            row.put("quantity", f.quantity());
            row.put("size", f.size());
            row.put("command", f.command());
            return row;
        }).toList();
        events.append(EventTypes.FORMATION_CHANGED, app.id(), app.name(), Map.of("formation", payload));
        return all;
    }
}

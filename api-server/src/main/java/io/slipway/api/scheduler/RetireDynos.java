package io.slipway.api.scheduler;

import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import org.springframework.stereotype.Component;

/**
 * Takes a dyno out of service: desired state {@code stopped}, so the router drops it at once (routes only
 * list desired-up dynos) and its agent drains, stops it and reports {@code down}, which deletes the row. A
 * dyno no agent runs is simply deleted.
 */
@Component
public class RetireDynos {
    private final DynoRows dynos;

    public RetireDynos(DynoRows dynos) {
        this.dynos = dynos;
    }

    public void retire(DynoRow dyno, RuntimeEvents.Batch events) {
        if (dyno.agentId() == null) {
            dynos.delete(dyno.id());
        } else if (dyno.desiredUp()) {
            dynos.retire(dyno.id());
            events.agent(dyno.agentId());
        } else {
            return;
        }
        if (dyno.web() && !dyno.oneOff()) events.routes(dyno.appId(), dyno.appName());
    }
}

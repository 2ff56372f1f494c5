package io.slipway.api.scheduler;

import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Places every desired-up dyno that no agent runs yet, e.g. when the first agent registers. */
@Service
public class PlaceUnplaced {
    private final SchedulerLock lock;
    private final DynoRows dynos;
    private final PlaceDyno placeDyno;
    private final RuntimeEvents runtimeEvents;

    public PlaceUnplaced(SchedulerLock lock, DynoRows dynos, PlaceDyno placeDyno, RuntimeEvents runtimeEvents) {
        this.lock = lock;
        this.dynos = dynos;
        this.placeDyno = placeDyno;
        this.runtimeEvents = runtimeEvents;
    }

    @Transactional
    public void placeAll() {
        lock.hold();
        RuntimeEvents.Batch events = runtimeEvents.batch();
        placeAll(events);
        events.publish();
    }

    /** Inside a transaction that already holds the scheduler lock. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void placeAll(RuntimeEvents.Batch events) {
        var unplaced = dynos.unplaced();
        if (unplaced.isEmpty()) return;
        Capacity capacity = placeDyno.capacity();
        for (DynoRow d : unplaced) placeDyno.place(d, capacity, events);
    }
}

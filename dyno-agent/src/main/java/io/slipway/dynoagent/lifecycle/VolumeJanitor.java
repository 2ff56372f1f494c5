package io.slipway.dynoagent.lifecycle;

import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.agents.Assignment;
import io.slipway.dynoagent.drivers.DynoDriver;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Deletes this agent's copy of a volume once the api-server no longer has it. A volume no dyno here uses may
 * still be wanted (its dynos moved to another agent and may come back, or a deploy is between its old and new
 * dynos), so "unused here" alone never deletes data: only the api-server's 404 for the volume does.
 */
public final class VolumeJanitor {
    private static final Logger LOG = Logger.getLogger(VolumeJanitor.class.getName());
    private final DynoDriver driver;
    private final AgentsClient api;
    /** Volumes the api-server said still exist, and until when that answer stands: not asked every resync. */
    private final java.util.Map<String, Long> existsUntil = new java.util.HashMap<>();
    private static final long RECHECK_NANOS = java.time.Duration.ofMinutes(1).toNanos();

    public VolumeJanitor(DynoDriver driver, AgentsClient api) {
        this.driver = driver;
        this.api = api;
    }

    /** After each read of the assignments: asks about the volumes held here that no assignment names. */
    public void collect(List<Assignment> assignments) throws IOException, InterruptedException {
        Set<String> used = new HashSet<>();
        for (Assignment a : assignments) for (Assignment.Volume v : a.volumes()) used.add(v.id());
        long now = System.nanoTime();
        List<String> held = driver.volumeIds();
        existsUntil.keySet().retainAll(held); // called under the agent's resync lock: one thread at a time
        for (String id : held) {
            if (used.contains(id)) continue;
            Long until = existsUntil.get(id);
            if (until != null && until - now > 0) continue;
            if (api.volumeExists(id)) {
                existsUntil.put(id, now + RECHECK_NANOS);
                continue;
            }
            LOG.info("volume " + id + " was removed: deleting this agent's copy");
            driver.deleteVolume(id);
            existsUntil.remove(id);
        }
    }
}

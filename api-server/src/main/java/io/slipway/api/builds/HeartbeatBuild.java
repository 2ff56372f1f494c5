package io.slipway.api.builds;

import io.slipway.api.errors.NotFound;
import io.slipway.api.ApiServerConfig;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /internal/builds/{id}/heartbeat}: renews the lease. A build that is no longer leased (it finished,
 * or its lease expired and the sweeper took it back) answers 409: the worker must stop working on it. A lease
 * that ran out but was not swept yet is renewed: the worker is evidently alive.
 */
@Service
public class HeartbeatBuild {
    private final BuildRepository builds;
    private final int leaseSeconds;

    public HeartbeatBuild(BuildRepository builds, ApiServerConfig config) {
        this.builds = builds;
        this.leaseSeconds = config.builds().leaseSeconds();
    }

    /** {@code workerId} null: not checked (the contract's body is {@code {}}). Returns the lease length. */
    @Transactional
    public int heartbeat(UUID buildId, String workerId) {
        Build build = builds.findForUpdate(buildId).orElseThrow(() -> new NotFound("build", buildId.toString()));
        if (!build.leasedTo(workerId)) throw LeaseLost.of(build);
        build.renewLease(Instant.now(), leaseSeconds);
        return leaseSeconds;
    }
}

package io.slipway.api.builds;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface BuildRepository extends JpaRepository<Build, UUID> {
    List<Build> findByAppId(UUID appId);

    Optional<Build> findByIdAndAppId(UUID id, UUID appId);

    /** The build row locked until the transaction ends: every lease change goes through this. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select b from Build b where b.id = ?1")
    Optional<Build> findForUpdate(UUID id);

    /**
     * The oldest queued build whose app has no build running (an app's builds run one at a time, in order, so
     * releases follow the order of pushes and two builds never share the cache). {@code SKIP LOCKED}: a row
     * another transaction holds is passed over, never waited for.
     */
    @Query(value = "SELECT * FROM builds b WHERE b.status = 'pending' AND b.lease_owner IS NULL"
            + " AND NOT EXISTS (SELECT 1 FROM builds o WHERE o.app_id = b.app_id AND o.status = 'pending'"
            + " AND o.lease_owner IS NOT NULL)"
            + " ORDER BY b.created_at, b.id LIMIT 1 FOR UPDATE SKIP LOCKED", nativeQuery = true)
    Optional<Build> nextClaimable();

    /** Running builds whose lease ran out, or that ran past {@code startedBefore}; locked, skipping rows in use. */
    @Query(value = "SELECT * FROM builds WHERE status = 'pending' AND lease_owner IS NOT NULL"
            + " AND (lease_expires_at < ?1 OR started_at < ?2)"
            + " ORDER BY lease_expires_at LIMIT 100 FOR UPDATE SKIP LOCKED", nativeQuery = true)
    List<Build> lapsed(Instant now, Instant startedBefore);
}

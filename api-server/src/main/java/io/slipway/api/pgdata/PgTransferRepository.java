package io.slipway.api.pgdata;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface PgTransferRepository extends JpaRepository<PgTransfer, UUID> {
    List<PgTransfer> findByAppIdOrderByNum(UUID appId);

    Optional<PgTransfer> findByAppIdAndNum(UUID appId, long num);

    @Query("select coalesce(max(t.num), 0) from PgTransfer t where t.appId = ?1")
    long maxNum(UUID appId);
}

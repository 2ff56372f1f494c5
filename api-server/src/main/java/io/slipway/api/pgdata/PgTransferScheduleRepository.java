package io.slipway.api.pgdata;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface PgTransferScheduleRepository extends JpaRepository<PgTransferSchedule, UUID> {
    Optional<PgTransferSchedule> findByAddonId(UUID addonId);

    List<PgTransferSchedule> findAllByOrderByCreatedAt();
}

package io.slipway.api.appsetups;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface AppSetupRepository extends JpaRepository<AppSetup, UUID> {

    @Query(value = "SELECT id FROM app_setups WHERE phase <> 'done' ORDER BY updated_at LIMIT 50", nativeQuery = true)
    List<UUID> findUnfinishedIds();

    /** Locks the row, skipping it when another api-server is working on it. */
    @Query(value = "SELECT * FROM app_setups WHERE id = ?1 AND phase <> 'done' FOR UPDATE SKIP LOCKED", nativeQuery = true)
    Optional<AppSetup> lockUnfinished(UUID id);
}

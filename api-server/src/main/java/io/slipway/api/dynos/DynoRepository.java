package io.slipway.api.dynos;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface DynoRepository extends JpaRepository<Dyno, UUID> {
    /** Newest first within a name, so the first of a name is the current release's dyno during a deploy. */
    List<Dyno> findByAppIdAndDesiredStateOrderByNameAscCreatedAtDesc(UUID appId, String desiredState);

    List<Dyno> findByAppIdAndNameAndDesiredStateOrderByCreatedAtDesc(UUID appId, String name, String desiredState);

    boolean existsByAppIdAndTypeAndDesiredState(UUID appId, String type, String desiredState);
}

package io.slipway.api.dynos;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface DynoRepository extends JpaRepository<Dyno, UUID> {
    List<Dyno> findByAppIdOrderByName(UUID appId);

    Optional<Dyno> findByAppIdAndName(UUID appId, String name);

    boolean existsByAppIdAndType(UUID appId, String type);
}

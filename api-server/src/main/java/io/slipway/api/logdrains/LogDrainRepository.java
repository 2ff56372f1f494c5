package io.slipway.api.logdrains;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface LogDrainRepository extends JpaRepository<LogDrain, UUID> {
    List<LogDrain> findByAppIdOrderByCreatedAt(UUID appId);

    Optional<LogDrain> findByIdAndAppId(UUID id, UUID appId);

    Optional<LogDrain> findByAppIdAndUrl(UUID appId, String url);

    Optional<LogDrain> findByAppIdAndToken(UUID appId, String token);

    boolean existsByAppIdAndUrl(UUID appId, String url);

    long countByAppId(UUID appId);
}

package io.slipway.api.sniendpoints;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface SniEndpointRepository extends JpaRepository<SniEndpoint, UUID> {
    List<SniEndpoint> findByAppIdOrderByName(UUID appId);

    Optional<SniEndpoint> findByIdAndAppId(UUID id, UUID appId);

    Optional<SniEndpoint> findByNameAndAppId(String name, UUID appId);

    boolean existsByName(String name);
}

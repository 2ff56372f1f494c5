package io.slipway.api.sniendpoints;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface SniEndpointRepository extends JpaRepository<SniEndpoint, UUID> {
    List<SniEndpoint> findByAppIdOrderByName(UUID appId);

    Optional<SniEndpoint> findByIdAndAppId(UUID id, UUID appId);

    Optional<SniEndpoint> findByNameAndAppId(String name, UUID appId);

    boolean existsByName(String name);

    /** ACM certificates no domain points at (their domain was removed). */
    @Query("select e from SniEndpoint e where e.acm = true and not exists"
            + " (select d.id from io.slipway.api.domains.Domain d where d.sniEndpointId = e.id)")
    List<SniEndpoint> findAcmOrphans();
}

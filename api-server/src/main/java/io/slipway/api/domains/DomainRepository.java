package io.slipway.api.domains;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface DomainRepository extends JpaRepository<Domain, UUID> {
    List<Domain> findByAppIdOrderByCreatedAt(UUID appId);

    @Query("select d from Domain d where lower(d.hostname) = lower(?1)")
    Optional<Domain> findByHostname(String hostname);

    Optional<Domain> findFirstByAppIdAndKind(UUID appId, String kind);

    List<Domain> findByAppIdAndKind(UUID appId, String kind);

    Optional<Domain> findByIdAndAppId(UUID id, UUID appId);

    List<Domain> findBySniEndpointIdOrderByHostname(UUID sniEndpointId);
}

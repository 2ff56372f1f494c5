package io.slipway.api.deploykeys;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface DeployKeyRepository extends JpaRepository<DeployKey, UUID> {
    List<DeployKey> findByAppIdOrderByCreatedAt(UUID appId);

    Optional<DeployKey> findByFingerprint(String fingerprint);

    boolean existsByFingerprint(String fingerprint);

    boolean existsByAppIdAndName(UUID appId, String name);

    long countByAppId(UUID appId);
}

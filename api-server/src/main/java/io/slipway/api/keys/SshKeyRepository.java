package io.slipway.api.keys;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface SshKeyRepository extends JpaRepository<SshKey, UUID> {
    List<SshKey> findByAccountIdOrderByCreatedAt(UUID accountId);

    Optional<SshKey> findByFingerprint(String fingerprint);

    boolean existsByFingerprint(String fingerprint);

    /** Whether an app's deploy key has this fingerprint (asked here, not through the deploykeys package, which
     *  depends on this one: a key must name one holder across both tables). */
    @Query(value = "SELECT EXISTS (SELECT 1 FROM deploy_keys WHERE fingerprint = ?1)", nativeQuery = true)
    boolean isDeployKey(String fingerprint);
}

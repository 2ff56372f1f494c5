package io.slipway.api.releases;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ReleaseRepository extends JpaRepository<Release, UUID> {
    List<Release> findByAppIdOrderByVersion(UUID appId);

    Optional<Release> findByAppIdAndVersion(UUID appId, int version);

    Optional<Release> findFirstByAppIdOrderByVersionDesc(UUID appId);

    List<Release> findByAppIdAndStatus(UUID appId, String status);

    /** The current release: the newest one that succeeded. */
    Optional<Release> findFirstByAppIdAndStatusOrderByVersionDesc(UUID appId, String status);
}

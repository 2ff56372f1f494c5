package io.slipway.api.releases;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface ReleaseRepository extends JpaRepository<Release, UUID> {
    List<Release> findByAppIdOrderByVersion(UUID appId);

    Optional<Release> findByAppIdAndVersion(UUID appId, int version);

    Optional<Release> findFirstByAppIdOrderByVersionDesc(UUID appId);

    List<Release> findByAppIdAndStatus(UUID appId, String status);

    /** True once any release of the app ran code (a slug or an image). */
    @Query("SELECT COUNT(r) > 0 FROM Release r WHERE r.appId = :appId AND (r.slugId IS NOT NULL OR r.imageId IS NOT NULL)")
    boolean anyWithCode(@Param("appId") UUID appId);

    /** The current release: the newest one that succeeded. */
    Optional<Release> findFirstByAppIdAndStatusOrderByVersionDesc(UUID appId, String status);
}

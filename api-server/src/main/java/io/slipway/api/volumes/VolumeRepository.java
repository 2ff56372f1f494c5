package io.slipway.api.volumes;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface VolumeRepository extends JpaRepository<Volume, UUID> {
    List<Volume> findByAppIdOrderByCreatedAt(UUID appId);

    List<Volume> findByAppIdAndProcessType(UUID appId, String processType);

    boolean existsByAppIdAndName(UUID appId, String name);

    boolean existsByAppIdAndProcessTypeAndMountPath(UUID appId, String processType, String mountPath);

    long countByAppId(UUID appId);
}

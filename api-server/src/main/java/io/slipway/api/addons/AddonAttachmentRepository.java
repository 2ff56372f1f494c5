package io.slipway.api.addons;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AddonAttachmentRepository extends JpaRepository<AddonAttachment, UUID> {
    List<AddonAttachment> findByAppIdOrderByCreatedAt(UUID appId);

    List<AddonAttachment> findByAddonIdOrderByCreatedAt(UUID addonId);

    Optional<AddonAttachment> findByAppIdAndName(UUID appId, String name);

    boolean existsByAppIdAndName(UUID appId, String name);
}

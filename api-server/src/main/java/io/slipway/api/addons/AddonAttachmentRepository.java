package io.slipway.api.addons;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface AddonAttachmentRepository extends JpaRepository<AddonAttachment, UUID> {
    List<AddonAttachment> findByAppIdOrderByCreatedAt(UUID appId);

    List<AddonAttachment> findByAddonIdOrderByCreatedAt(UUID addonId);

    /**
     * {@code heroku addons:attachments} without an app: attachments to an app the account can see, and every
     * attachment of an add-on billed to such an app, in one query.
     */
    @Query("select att from AddonAttachment att where att.appId in " + AddonVisibility.APPS_OF_ACCOUNT
            + " or att.addonId in (select ad.id from Addon ad where ad.appId in " + AddonVisibility.APPS_OF_ACCOUNT
            + ") order by att.createdAt")
    List<AddonAttachment> visibleTo(@Param("account") UUID accountId);

    Optional<AddonAttachment> findByAppIdAndName(UUID appId, String name);

    boolean existsByAppIdAndName(UUID appId, String name);
}

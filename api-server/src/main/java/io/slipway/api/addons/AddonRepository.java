package io.slipway.api.addons;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface AddonRepository extends JpaRepository<Addon, UUID> {
    Optional<Addon> findByName(String name);

    List<Addon> findByAppIdOrderByCreatedAt(UUID appId);

    List<Addon> findByServiceAndState(String service, String state);

    /**
     * {@code heroku addons} without an app: the add-ons billed to or attached to an app the account owns or
     * collaborates on, in one query (it was one app entity, with its config decrypted, and two queries per app).
     */
    @Query("select ad from Addon ad where ad.appId in " + AddonVisibility.APPS_OF_ACCOUNT
            + " or ad.id in (select att.addonId from AddonAttachment att where att.appId in " + AddonVisibility.APPS_OF_ACCOUNT
            + ") order by ad.createdAt")
    List<Addon> visibleTo(@Param("account") UUID accountId);

    boolean existsByName(String name);
}

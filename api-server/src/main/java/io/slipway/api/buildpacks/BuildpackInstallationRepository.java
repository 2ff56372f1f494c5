package io.slipway.api.buildpacks;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface BuildpackInstallationRepository extends JpaRepository<BuildpackInstallation, BuildpackInstallation.Key> {
    List<BuildpackInstallation> findByAppIdOrderByOrdinal(UUID appId);

    /** A bulk delete, run at once: the new list's rows reuse the same (app, ordinal) keys. */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("delete from BuildpackInstallation b where b.appId = ?1")
    int deleteAllOfApp(UUID appId);
}

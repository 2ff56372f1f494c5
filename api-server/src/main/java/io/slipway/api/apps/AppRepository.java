package io.slipway.api.apps;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface AppRepository extends JpaRepository<App, UUID> {
    Optional<App> findByName(String name);

    boolean existsByName(String name);

    /** Apps the account owns or collaborates on. */
    @Query("select a from App a where a.ownerId = ?1 or a.id in "
            + "(select c.appId from Collaborator c where c.accountId = ?1)")
    List<App> findVisibleTo(UUID accountId);
}

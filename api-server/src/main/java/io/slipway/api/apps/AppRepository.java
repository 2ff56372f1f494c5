package io.slipway.api.apps;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface AppRepository extends JpaRepository<App, UUID> {
    Optional<App> findByName(String name);

    boolean existsByName(String name);

    /** Apps the account owns or collaborates on. */
    @Query("select a from App a where a.ownerId = ?1 or a.id in "
            + "(select c.appId from Collaborator c where c.accountId = ?1)")
    List<App> findVisibleTo(UUID accountId);

    /**
     * The app by id or name (null matches nothing), only if the account owns or collaborates on it, its row locked
     * ({@code FOR UPDATE}) until the transaction ends: {@link AppLock}'s guarantee in one query, and a row another
     * tenant cannot see is never locked by their request.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from App a where (a.id = ?1 or a.name = ?2) and (a.ownerId = ?3 or exists "
            + "(select 1 from Collaborator c where c.appId = a.id and c.accountId = ?3))")
    Optional<App> findVisibleForUpdate(UUID id, String name, UUID accountId);
}

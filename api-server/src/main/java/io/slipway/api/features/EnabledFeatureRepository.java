package io.slipway.api.features;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface EnabledFeatureRepository extends JpaRepository<EnabledFeature, EnabledFeature.Key> {
    List<EnabledFeature> findByOwnerId(UUID ownerId);

    Optional<EnabledFeature> findByOwnerIdAndName(UUID ownerId, String name);

    /** Idempotent, also when two requests switch the same feature on at once. */
    @Modifying
    @Query(value = "INSERT INTO enabled_features (owner_id, name, created_at) VALUES (?1, ?2, now()) "
            + "ON CONFLICT DO NOTHING", nativeQuery = true)
    int switchOn(UUID ownerId, String name);

    @Modifying
    @Query("delete from EnabledFeature e where e.ownerId = ?1 and e.name = ?2")
    int switchOff(UUID ownerId, String name);
}

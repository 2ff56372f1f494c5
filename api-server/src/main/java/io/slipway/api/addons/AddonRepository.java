package io.slipway.api.addons;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AddonRepository extends JpaRepository<Addon, UUID> {
    Optional<Addon> findByName(String name);

    List<Addon> findByAppIdOrderByCreatedAt(UUID appId);

    List<Addon> findByServiceAndState(String service, String state);

    boolean existsByName(String name);
}

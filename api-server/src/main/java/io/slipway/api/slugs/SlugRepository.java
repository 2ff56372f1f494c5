package io.slipway.api.slugs;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface SlugRepository extends JpaRepository<Slug, UUID> {
    Optional<Slug> findByIdAndAppId(UUID id, UUID appId);
}

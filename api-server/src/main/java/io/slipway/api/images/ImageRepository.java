package io.slipway.api.images;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ImageRepository extends JpaRepository<Image, UUID> {
    Optional<Image> findByIdAndAppId(UUID id, UUID appId);

    Optional<Image> findByAppIdIsNullAndNameAndTag(String name, String tag);

    List<Image> findByAppIdIsNullOrderByNameAscTagAsc();
}

package io.slipway.api.apps;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CollaboratorRepository extends JpaRepository<Collaborator, UUID> {
    boolean existsByAppIdAndAccountId(UUID appId, UUID accountId);

    List<Collaborator> findByAppIdOrderByCreatedAt(UUID appId);
}

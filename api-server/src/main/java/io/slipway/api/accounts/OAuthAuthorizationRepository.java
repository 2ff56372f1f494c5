package io.slipway.api.accounts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface OAuthAuthorizationRepository extends JpaRepository<OAuthAuthorization, UUID> {
    Optional<OAuthAuthorization> findByTokenHash(String tokenHash);

    List<OAuthAuthorization> findByAccountIdOrderByCreatedAt(UUID accountId);
}

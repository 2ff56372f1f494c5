package io.slipway.api.accounts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface OAuthAuthorizationRepository extends JpaRepository<OAuthAuthorization, UUID> {
    Optional<OAuthAuthorization> findByTokenHash(String tokenHash);

    List<OAuthAuthorization> findByAccountIdOrderByCreatedAt(UUID accountId);

    Optional<OAuthAuthorization> findByIdAndAccountId(UUID id, UUID accountId);

    /** The account's own API key, if it still has one. */
    Optional<OAuthAuthorization> findFirstByAccountIdAndApiKeyTrue(UUID accountId);
}

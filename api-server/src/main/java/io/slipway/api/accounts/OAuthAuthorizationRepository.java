package io.slipway.api.accounts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface OAuthAuthorizationRepository extends JpaRepository<OAuthAuthorization, UUID> {
    Optional<OAuthAuthorization> findByTokenHash(String tokenHash);

    /** The authorization of a token hash and its account, in one query: every API call asks this first. */
    @Query("SELECT a, acc FROM OAuthAuthorization a JOIN Account acc ON acc.id = a.accountId WHERE a.tokenHash = ?1")
    List<Object[]> findWithAccountByTokenHash(String tokenHash);

    List<OAuthAuthorization> findByAccountIdOrderByCreatedAt(UUID accountId);

    Optional<OAuthAuthorization> findByIdAndAccountId(UUID id, UUID accountId);

    /** The account's own API key, if it still has one. */
    Optional<OAuthAuthorization> findFirstByAccountIdAndApiKeyTrue(UUID accountId);
}

package io.slipway.api.accounts;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface AccountRepository extends JpaRepository<Account, UUID> {
    @Query("select a from Account a where lower(a.email) = lower(?1)")
    Optional<Account> findByEmail(String email);
}

package io.slipway.api.accounts;

import io.slipway.api.errors.NotFound;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code DELETE /oauth/authorizations/{id}} ({@code heroku logout}, {@code authorizations:revoke}): the token
 * stops working with the next request, since every request looks its token up. Only the owner's own
 * authorizations can be found.
 */
@Service
public class RevokeAuthorization {
    private final OAuthAuthorizationRepository authorizations;

    public RevokeAuthorization(OAuthAuthorizationRepository authorizations) {
        this.authorizations = authorizations;
    }

    @Transactional
    public OAuthAuthorization revoke(UUID accountId, UUID authorizationId) {
        OAuthAuthorization auth = authorizations.findByIdAndAccountId(authorizationId, accountId)
                .orElseThrow(() -> new NotFound("authorization", String.valueOf(authorizationId)));
        authorizations.delete(auth);
        return auth;
    }
}

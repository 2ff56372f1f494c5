package io.slipway.api.accounts;

import io.slipway.api.errors.NotFound;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code DELETE /oauth/authorizations/{id}} ({@code heroku logout}, {@code authorizations:revoke}): the token
 * stops working with the next request, to this replica and to the others, which the revocation notifies as it
 * commits ({@link TokenRevocations}). Only the owner's own authorizations can be found.
 */
@Service
public class RevokeAuthorization {
    private final OAuthAuthorizationRepository authorizations;
    private final TokenRevocations revocations;

    public RevokeAuthorization(OAuthAuthorizationRepository authorizations, TokenRevocations revocations) {
        this.authorizations = authorizations;
        this.revocations = revocations;
    }

    @Transactional
    public OAuthAuthorization revoke(UUID accountId, UUID authorizationId) {
        OAuthAuthorization auth = authorizations.findByIdAndAccountId(authorizationId, accountId)
                .orElseThrow(() -> new NotFound("authorization", String.valueOf(authorizationId)));
        authorizations.delete(auth);
        revocations.announce();
        return auth;
    }
}

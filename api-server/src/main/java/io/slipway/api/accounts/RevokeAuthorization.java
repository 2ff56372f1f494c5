package io.slipway.api.accounts;

import io.slipway.api.errors.NotFound;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code DELETE /oauth/authorizations/{id}} ({@code heroku logout}, {@code authorizations:revoke}): the token
 * stops working with the next request to this replica, and on other replicas within a second (the token cache of
 * {@link IdentifyByToken}). Only the owner's own authorizations can be found.
 */
@Service
public class RevokeAuthorization {
    private final OAuthAuthorizationRepository authorizations;
    private final IdentifyByToken identifyByToken;

    public RevokeAuthorization(OAuthAuthorizationRepository authorizations, IdentifyByToken identifyByToken) {
        this.authorizations = authorizations;
        this.identifyByToken = identifyByToken;
    }

    @Transactional
    public OAuthAuthorization revoke(UUID accountId, UUID authorizationId) {
        OAuthAuthorization auth = authorizations.findByIdAndAccountId(authorizationId, accountId)
                .orElseThrow(() -> new NotFound("authorization", String.valueOf(authorizationId)));
        authorizations.delete(auth);
        identifyByToken.forgetAll(); // on this replica at once; on others within IdentifyByToken.REMEMBERED
        return auth;
    }
}

package io.slipway.api.accounts.web;

import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.ApiTokens;
import io.slipway.api.accounts.OAuthAuthorization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Platform API's {@code oauth-authorization} shape. Slipway has no OAuth clients, grants, refresh tokens
 * or sessions: those are null. The access token is shown in full only in the answer that created it; every
 * later answer shows it redacted as {@code HRKU-**********<last 4>}, which the CLI's {@code logout} matches
 * against its own token.
 */
public record OAuthAuthorizationJson(
        AccessToken accessToken,
        Object client,
        Instant createdAt,
        String description,
        Object grant,
        UUID id,
        Object refreshToken,
        List<String> scope,
        Object session,
        Instant updatedAt,
        User user) {

    public record AccessToken(Long expiresIn, UUID id, String token) {}

    public record User(UUID id, String email, String fullName) {}

    /** Right after creation, with the token itself. */
    public static OAuthAuthorizationJson created(OAuthAuthorization auth, String token, Account account) {
        return of(auth, token, account);
    }

    /** Any later time: the token redacted. */
    public static OAuthAuthorizationJson redacted(OAuthAuthorization auth, Account account) {
        return of(auth, ApiTokens.redacted(auth.tokenHint()), account);
    }

    private static OAuthAuthorizationJson of(OAuthAuthorization auth, String token, Account account) {
        return new OAuthAuthorizationJson(
                new AccessToken(expiresIn(auth), tokenId(auth), token),
                null, auth.createdAt(), auth.description(), null, auth.id(), null, auth.scope(), null,
                auth.updatedAt(), new User(account.id(), account.email(), account.name()));
    }

    private static Long expiresIn(OAuthAuthorization auth) {
        if (auth.expiresAt() == null) return null;
        return Math.max(0, Duration.between(Instant.now(), auth.expiresAt()).toSeconds());
    }

    /** A token has no row of its own; its id is derived from the authorization's, stable across calls. */
    private static UUID tokenId(OAuthAuthorization auth) {
        return UUID.nameUUIDFromBytes(("access-token:" + auth.id()).getBytes(StandardCharsets.UTF_8));
    }
}

package io.slipway.api.accounts.web;

import io.slipway.api.accounts.Account;
import java.time.Instant;
import java.util.UUID;

/**
 * The Platform API's {@code account} shape. Slipway has no billing, teams, identity providers, SMS or
 * two-factor: those fields are present with the value that says so (null or false). {@code verified} is true:
 * on Heroku it unlocks what needs billing details, and a self-hosted platform restricts nothing on that ground.
 * The CLI's "particleboard" delinquency check reads {@code GET /account} too; it only looks for scheduled
 * suspension or deletion times, which an account here never has.
 */
public record AccountJson(
        boolean allowTracking,
        boolean beta,
        Instant createdAt,
        String email,
        boolean federated,
        UUID id,
        Object identityProvider,
        Instant lastLogin,
        String name,
        String smsNumber,
        Instant suspendedAt,
        Instant delinquentAt,
        boolean twoFactorAuthentication,
        Instant updatedAt,
        boolean verified,
        String countryOfResidence,
        Object defaultOrganization,
        Object defaultTeam) {

    public static AccountJson of(Account a) {
        return new AccountJson(a.allowTracking(), a.beta(), a.createdAt(), a.email(), false, a.id(), null,
                a.lastLogin(), a.name(), null, null, null, false, a.updatedAt(), true, null, null, null);
    }
}

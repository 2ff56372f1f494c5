package io.slipway.api.identity;

import java.util.UUID;

/**
 * The authenticated account behind a request. The web layer's {@code AuthFilter} finds it and controllers hand it
 * to use cases, which decide with it what the caller may see and do: so it lives outside {@code web}.
 * {@code authorizationId} is the API key used (null for password logins).
 */
public record Caller(UUID accountId, String email, boolean admin, UUID authorizationId) {
    /** The request attribute the web layer keeps it under. */
    public static final String ATTRIBUTE = Caller.class.getName();
}

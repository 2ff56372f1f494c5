package io.slipway.api.web;

import java.util.UUID;

/**
 * The authenticated account behind a request. Controllers take it as a parameter; {@link AuthFilter}
 * puts it on the request. {@code authorizationId} is the API key used (null for password logins).
 */
public record Caller(UUID accountId, String email, boolean admin, UUID authorizationId) {
    static final String ATTRIBUTE = Caller.class.getName();
}

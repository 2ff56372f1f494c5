package io.slipway.api.accounts.web;

import java.util.UUID;

/** The answer to {@code POST /internal/users}: the new account and its first API key (shown only this once). */
public record InternalUserJson(UUID id, String email, String apiKey) {}

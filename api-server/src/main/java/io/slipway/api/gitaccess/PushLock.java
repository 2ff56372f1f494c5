package io.slipway.api.gitaccess;

import java.time.Instant;
import java.util.UUID;

/** Who holds an app's push lock, and until when (see {@code V7__push_locks.sql}). */
public record PushLock(UUID appId, String holder, Instant expiresAt) {}

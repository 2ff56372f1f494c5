package io.slipway.api.gitaccess.web;

import io.slipway.api.gitaccess.PushLock;
import java.time.Instant;
import java.util.UUID;

public record PushLockJson(UUID appId, String holder, Instant expiresAt) {
    public static PushLockJson of(PushLock lock) {
        return new PushLockJson(lock.appId(), lock.holder(), lock.expiresAt());
    }
}

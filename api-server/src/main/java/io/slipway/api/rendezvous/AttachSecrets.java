package io.slipway.api.rendezvous;

/**
 * Whether a one-off's attach secret belongs to a dyno (the rendezvous admits nothing else). An interface here,
 * implemented by the dyno rows, so the rendezvous does not depend on the dynos package that opens its sessions.
 */
@FunctionalInterface
public interface AttachSecrets {
    boolean exists(String secret);
}

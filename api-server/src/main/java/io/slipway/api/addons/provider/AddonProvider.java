package io.slipway.api.addons.provider;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.catalogue.AddonPlan;

/**
 * What makes an add-on real: one implementation per service (a Spring bean), found by {@link #service()}.
 * Calls happen outside the database transaction that records the add-on, so they may take seconds; each must be
 * safe to repeat (a provision retried after a crash finds or replaces what the first attempt left).
 */
public interface AddonProvider {
    /** The service this provider makes, e.g. {@code heroku-postgresql}. */
    String service();

    /**
     * Null when the provider can provision; otherwise what the operator must configure first, e.g.
     * {@code "SLIPWAY_ADDONS_POSTGRES_ADMIN_URL"}: {@code addons:create} then answers a 422 naming it.
     */
    default String missingConfiguration() {
        return null;
    }

    /** Creates the resource for {@code addon} (its id and name are set, its state is provisioning). */
    Provisioned provision(Addon addon, AddonPlan plan);

    /** Applies another plan's limits to the resource; the returned config replaces the add-on's if not null. */
    Provisioned changePlan(Addon addon, AddonPlan from, AddonPlan to);

    /** Removes the resource and its credentials; afterwards nothing can connect with the old config. */
    void deprovision(Addon addon);
}

package io.slipway.api.addons.postgres;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonAttachmentRepository;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** {@link PgTestAddons} for tests of other packages. */
public final class PgTestAddonsAccess {
    private PgTestAddonsAccess() {}

    public static Addon create(PostgresAddonProvider provider, AddonRepository addons,
                               AddonAttachmentRepository attachments, AddonCatalogue catalogue, UUID appId, String plan) {
        return new PgTestAddons(provider, addons, attachments, catalogue).create(appId, plan);
    }

    public static Connection connect(String url) throws SQLException {
        return PgTestAddons.connect(url);
    }
}

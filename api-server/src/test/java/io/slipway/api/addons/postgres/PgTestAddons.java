package io.slipway.api.addons.postgres;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonAttachment;
import io.slipway.api.addons.AddonAttachmentRepository;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.provider.Provisioned;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;

/**
 * Makes heroku-postgresql add-ons for tests the way the add-on API does (provider, then the add-on row and its
 * DATABASE attachment), without that API, which is another part of the work.
 */
final class PgTestAddons {
    private final PostgresAddonProvider provider;
    private final AddonRepository addons;
    private final AddonAttachmentRepository attachments;
    private final AddonCatalogue catalogue;

    PgTestAddons(PostgresAddonProvider provider, AddonRepository addons, AddonAttachmentRepository attachments,
                 AddonCatalogue catalogue) {
        this.provider = provider;
        this.addons = addons;
        this.attachments = attachments;
        this.catalogue = catalogue;
    }

    Addon create(UUID appId, String plan) {
        Addon addon = new Addon("postgresql-test-" + UUID.randomUUID().toString().substring(0, 8), appId,
                PostgresAddonProvider.SERVICE, plan);
        Provisioned p = provider.provision(addon, catalogue.plan(plan).orElseThrow());
        addon.provisioned(p.providerId(), p.config());
        addons.save(addon);
        attachments.save(new AddonAttachment(addon.id(), appId, "DATABASE"));
        return addon;
    }

    /** A JDBC connection with the credentials of a {@code postgres://user:pass@host:port/db} URL. */
    static Connection connect(String url) throws SQLException {
        return connect(url, URI.create(url).getPath().substring(1));
    }

    /** The URL's user and password, but to {@code database}. */
    static Connection connect(String url, String database) throws SQLException {
        URI u = URI.create(url);
        String[] userInfo = u.getUserInfo().split(":", 2);
        Properties p = new Properties();
        p.setProperty("user", userInfo[0]);
        p.setProperty("password", userInfo[1]);
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + u.getHost() + ":" + u.getPort() + "/" + database, p);
    }
}

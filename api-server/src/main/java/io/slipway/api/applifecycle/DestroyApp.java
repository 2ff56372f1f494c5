package io.slipway.api.applifecycle;

import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.apps.App;
import io.slipway.api.errors.Conflict;
import io.slipway.api.addons.DestroyAddon;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import io.slipway.api.storage.ObjectKeys;
import io.slipway.api.storage.ObjectStorage;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code heroku apps:destroy}: owner only. The add-ons billed to the app are destroyed first (their providers
 * work outside any transaction; one that fails stops the destroy, which can be repeated). Rows of the app
 * (releases, domains, formation, dynos, attachments...) go with it by foreign-key cascade; the {@code app.deleted}
 * event tells the runtime to stop its dynos and drop routes.
 */
@Service
public class DestroyApp {
    private final AppAccess access;
    private final AppRepository apps;
    private final EventLog events;
    private final DestroyAddon destroyAddon;
    private static final Logger log = LoggerFactory.getLogger(DestroyApp.class);
    private final TransactionTemplate transaction;
    private final ObjectStorage storage;

    public DestroyApp(AppAccess access, AppRepository apps, EventLog events, DestroyAddon destroyAddon,
                      PlatformTransactionManager transactions, ObjectStorage storage) {
        this.storage = storage;
        this.access = access;
        this.apps = apps;
        this.events = events;
        this.destroyAddon = destroyAddon;
        this.transaction = new TransactionTemplate(transactions);
    }

    public App destroy(Caller caller, String identity) {
        destroyAddon.destroyAllBilledTo(caller, access.owned(caller, identity));
        App destroyed;
        try {
            destroyed = transaction.execute(tx -> {
                App app = access.owned(caller, identity);
                apps.delete(app);
                apps.flush();
                events.append(EventTypes.APP_DELETED, app.id(), app.name(), Map.of("name", app.name()));
                return app;
            });
        } catch (DataIntegrityViolationException addonCreatedMeanwhile) {
            throw new Conflict("app", "An add-on was being created on the app at the same time; try again.");
        }
        deleteObjects(destroyed);
        return destroyed;
    }

    /**
     * The app's objects go after its rows: its image blobs, slugs and build cache (no other app can use them).
     * Best effort: the app is gone either way; a store that fails now leaves the objects behind (logged), and the
     * operator's lifecycle rules on these prefixes can collect them.
     */
    private void deleteObjects(App app) {
        if (!storage.available()) return;
        try {
            int images = storage.deletePrefix(ObjectKeys.appImages(app.id()));
            int slugs = storage.deletePrefix(ObjectKeys.appSlugs(app.id()));
            storage.delete(ObjectKeys.cache(app.id()));
            log.info("Deleted {} image blobs and {} slugs of destroyed app {}", images, slugs, app.id());
        } catch (RuntimeException e) {
            log.warn("Could not delete the objects of destroyed app {}: {}", app.id(), e.getMessage());
        }
    }
}

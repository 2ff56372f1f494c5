package io.slipway.api.applifecycle;

import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.apps.App;
import io.slipway.api.errors.Conflict;
import io.slipway.api.addons.DestroyAddon;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
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
    private final TransactionTemplate transaction;

    public DestroyApp(AppAccess access, AppRepository apps, EventLog events, DestroyAddon destroyAddon,
                      PlatformTransactionManager transactions) {
        this.access = access;
        this.apps = apps;
        this.events = events;
        this.destroyAddon = destroyAddon;
        this.transaction = new TransactionTemplate(transactions);
    }

    public App destroy(Caller caller, String identity) {
        destroyAddon.destroyAllBilledTo(caller, access.owned(caller, identity));
        try {
            return transaction.execute(tx -> {
                App app = access.owned(caller, identity);
                apps.delete(app);
                apps.flush();
                events.append(EventTypes.APP_DELETED, app.id(), app.name(), Map.of("name", app.name()));
                return app;
            });
        } catch (DataIntegrityViolationException addonCreatedMeanwhile) {
            throw new Conflict("app", "An add-on was being created on the app at the same time; try again.");
        }
    }
}

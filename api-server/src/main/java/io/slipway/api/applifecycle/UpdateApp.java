package io.slipway.api.applifecycle;

import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.apps.Stacks;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppNames;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.domains.Domain;
import io.slipway.api.domains.DomainRepository;
import io.slipway.api.events.EventLog;
import io.slipway.api.logs.AppLog;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code PATCH /apps/{app}}: rename ({@code heroku apps:rename}), maintenance on/off, build stack.
 * A rename moves the default domain with the app, and custom domains' DNS target ({@code cname}, the
 * default hostname) with it; the old target keeps resolving through the apps domain's wildcard DNS, and the
 * router routes by the custom hostname, so their routing does not change.
 */
@Service
public class UpdateApp {
    private final AppAccess access;
    private final AppRepository apps;
    private final DomainRepository domains;
    private final EventLog events;
    private final ApiServerConfig config;
    private final AppLog appLog;
    private final ReleaseRepository releases;

    public UpdateApp(AppAccess access, AppRepository apps, DomainRepository domains, EventLog events,
                     ApiServerConfig config, AppLog appLog, ReleaseRepository releases) {
        this.appLog = appLog;
        this.releases = releases;
        this.access = access;
        this.apps = apps;
        this.domains = domains;
        this.events = events;
        this.config = config;
    }

    public record Changes(String name, Boolean maintenance, String buildStack) {}

    @Transactional
    public App update(Caller caller, String identity, Changes changes) {
        App app = access.visible(caller, identity);
        if (changes.buildStack() != null) {
            String stack = Stacks.require(changes.buildStack(), null);
            if (!stack.equals(app.buildStack())) app.changeBuildStack(stack, releases.anyWithCode(app.id()));
        }
        if (changes.name() != null && !changes.name().equals(app.name())) rename(app, changes.name());
        if (changes.maintenance() != null && changes.maintenance() != app.maintenance()) {
            app.setMaintenance(changes.maintenance());
            events.append(EventTypes.APP_MAINTENANCE, app.id(), app.name(), Map.of("maintenance", changes.maintenance()));
            appLog.api(app.id(), AppLog.byUser((changes.maintenance() ? "Enable" : "Disable") + " Maintenance mode",
                    caller.email()));
        }
        try {
            return apps.saveAndFlush(app);
        } catch (DataIntegrityViolationException e) {
            throw CreateApp.nameTaken(changes.name());
        }
    }

    private void rename(App app, String newName) {
        AppNames.validate(newName);
        if (apps.existsByName(newName)) throw CreateApp.nameTaken(newName);
        String oldName = app.name();
        app.rename(newName);
        events.append(EventTypes.APP_RENAMED, app.id(), newName, Map.of("old_name", oldName, "name", newName));
        domains.findFirstByAppIdAndKind(app.id(), Domain.KIND_HEROKU).ifPresent(d -> {
            events.append(EventTypes.DOMAIN_REMOVED, app.id(), newName, Map.of("hostname", d.hostname()));
            d.changeHostname(config.defaultHostname(newName));
            domains.save(d);
            events.append(EventTypes.DOMAIN_ADDED, app.id(), newName, Map.of("hostname", d.hostname(), "kind", d.kind()));
        });
        for (Domain custom : domains.findByAppIdAndKind(app.id(), Domain.KIND_CUSTOM)) {
            custom.changeCname(config.defaultHostname(newName));
            domains.save(custom);
        }
    }
}

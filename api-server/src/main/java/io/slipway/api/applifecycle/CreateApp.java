package io.slipway.api.applifecycle;

import io.slipway.api.apps.AppRepository;
import io.slipway.api.apps.Regions;
import io.slipway.api.apps.Stacks;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppNames;
import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.limits.Quotas;
import io.slipway.api.domains.Domain;
import io.slipway.api.domains.DomainRepository;
import io.slipway.api.events.EventLog;
import io.slipway.api.releases.Artifact;
import io.slipway.api.releases.CreateRelease;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@code heroku create [NAME]}: the app, its default domain and release v1 ("Initial release"), atomically. */
@Service
public class CreateApp {
    private static final int NAME_ATTEMPTS = 10;
    private final AppRepository apps;
    private final DomainRepository domains;
    private final CreateRelease createRelease;
    private final EventLog events;
    private final ApiServerConfig config;
    private final Quotas quotas;

    public CreateApp(AppRepository apps, DomainRepository domains, CreateRelease createRelease, EventLog events,
                     ApiServerConfig config, Quotas quotas) {
        this.quotas = quotas;
        this.apps = apps;
        this.domains = domains;
        this.createRelease = createRelease;
        this.events = events;
        this.config = config;
    }

    public record Request(String name, String region, String stack) {}

    @Transactional
    public App create(UUID ownerId, Request request) {
        quotas.requireAppSlot(ownerId);
        String name = request.name() == null ? freeGeneratedName() : request.name();
        AppNames.validate(name);
        Regions.require(request.region());
        String stack = Stacks.require(request.stack(), config.defaultStack());
        if (apps.existsByName(name)) throw nameTaken(name);
        App app;
        try {
            app = apps.saveAndFlush(new App(name, ownerId, Regions.nameOf(request.region()), stack));
        } catch (DataIntegrityViolationException e) {
            throw nameTaken(name);
        }
        Domain domain = domains.save(new Domain(app.id(), config.defaultHostname(name), Domain.KIND_HEROKU, null, "none"));
        events.append(EventTypes.APP_CREATED, app.id(), name, Map.of("name", name, "owner_id", ownerId.toString()));
        events.append(EventTypes.DOMAIN_ADDED, app.id(), name,
                Map.of("hostname", domain.hostname(), "kind", domain.kind()));
        createRelease.create(app, "Initial release", Artifact.NONE, ownerId);
        return app;
    }

    private String freeGeneratedName() {
        for (int i = 0; i < NAME_ATTEMPTS; i++) {
            String candidate = AppNames.generate();
            if (!apps.existsByName(candidate)) return candidate;
        }
        throw new Conflict("app", "Could not find a free app name; please choose one.");
    }

    static DomainException nameTaken(String name) {
        return new InvalidInput("Name " + name + " is already taken");
    }
}

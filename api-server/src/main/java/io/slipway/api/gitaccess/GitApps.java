package io.slipway.api.gitaccess;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.identity.Identities;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The app an internal git call names, by id or name. The gateway uses the id it was given at authorization,
 * so a rename during a push does not strand its lock.
 */
@Component
public class GitApps {
    private final AppRepository apps;

    public GitApps(AppRepository apps) {
        this.apps = apps;
    }

    public Optional<App> find(String identity) {
        if (identity == null) return Optional.empty();
        UUID id = Identities.uuidOrNull(identity);
        return id != null ? apps.findById(id) : apps.findByName(identity);
    }
}

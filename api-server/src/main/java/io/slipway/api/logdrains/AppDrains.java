package io.slipway.api.logdrains;

import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.identity.Identities;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Finds a drain of an app by Heroku's drain identity: its id, its URL or its token. */
@Component
public class AppDrains {
    private final LogDrainRepository drains;

    public AppDrains(LogDrainRepository drains) {
        this.drains = drains;
    }

    @Transactional(readOnly = true)
    public LogDrain find(App app, String identity) {
        UUID id = Identities.uuidOrNull(identity);
        return (id != null ? drains.findByIdAndAppId(id, app.id())
                : identity.startsWith("d.") ? drains.findByAppIdAndToken(app.id(), identity)
                : drains.findByAppIdAndUrl(app.id(), identity))
                .orElseThrow(() -> new NotFound("log-drain", identity));
    }
}

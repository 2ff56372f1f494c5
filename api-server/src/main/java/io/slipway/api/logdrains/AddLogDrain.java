package io.slipway.api.logdrains;

import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.events.EventLog;
import io.slipway.api.outbound.UserUrls;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku drains:add URL}: owner and collaborators may add drains. The {@code log_drain.added} event
 * tells whoever ships the app's logs to start sending them there.
 */
@Service
public class AddLogDrain {
    /** Each drain costs a connection per log shipper; a runaway script should not open hundreds. */
    public static final int MAX_PER_APP = 20;
    private final AppAccess access;
    private final LogDrainRepository drains;
    private final EventLog events;
    private final UserUrls userUrls;

    public AddLogDrain(AppAccess access, LogDrainRepository drains, EventLog events, UserUrls userUrls) {
        this.access = access;
        this.drains = drains;
        this.events = events;
        this.userUrls = userUrls;
    }

    public record Added(App app, LogDrain drain) {}

    @Transactional
    public Added add(Caller caller, String appIdentity, String url) {
        App app = access.visible(caller, appIdentity);
        DrainUrls.validate(url);
        userUrls.refuseInternal(java.net.URI.create(url), "drain URL"); // checked again on every connection
        if (drains.existsByAppIdAndUrl(app.id(), url)) throw duplicate(app);
        if (drains.countByAppId(app.id()) >= MAX_PER_APP) {
            throw new InvalidInput(app.name() + " already has " + MAX_PER_APP + " log drains, the most an app can have.");
        }
        LogDrain drain;
        try {
            drain = drains.saveAndFlush(new LogDrain(app.id(), url));
        } catch (DataIntegrityViolationException e) {
            throw duplicate(app);
        }
        events.append(EventTypes.LOG_DRAIN_ADDED, app.id(), app.name(),
                Map.of("id", drain.id().toString(), "url", drain.url(), "token", drain.token()));
        return new Added(app, drain);
    }

    private static DomainException duplicate(App app) {
        return new Conflict("log-drain", "This URL is already a log drain of " + app.name() + ".");
    }
}

package io.slipway.api.builds;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.storage.ObjectKeys;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.identity.Caller;
import org.springframework.stereotype.Service;

/**
 * {@code DELETE /apps/{app}/build-cache} ({@code heroku builds:cache:purge}): the next build starts without a
 * cache. A build running now still saves its cache when it ends, as on Heroku.
 */
@Service
public class PurgeBuildCache {
    private final AppAccess access;
    private final ObjectStorage storage;

    public PurgeBuildCache(AppAccess access, ObjectStorage storage) {
        this.access = access;
        this.storage = storage;
    }

    public App purge(Caller caller, String appIdentity) {
        App app = access.visible(caller, appIdentity);
        storage.delete(ObjectKeys.cache(app.id()));
        return app;
    }
}

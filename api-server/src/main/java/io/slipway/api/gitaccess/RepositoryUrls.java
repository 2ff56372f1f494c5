package io.slipway.api.gitaccess;

import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Presigned URLs for an app's repository archive. The key holds the app's id, not its name, so a renamed app
 * keeps its repository and a new app reusing an old name does not inherit one.
 */
@Service
public class RepositoryUrls {
    private final GitApps apps;
    private final RepositoryStorage storage;

    public RepositoryUrls(GitApps apps, RepositoryStorage storage) {
        this.apps = apps;
        this.storage = storage;
    }

    public record Urls(String getUrl, String putUrl) {}

    public static String key(java.util.UUID appId) {
        return "repos/" + appId + ".tgz";
    }

    @Transactional(readOnly = true)
    public Urls forApp(String appName) {
        App app = apps.find(appName).orElseThrow(() -> new NotFound("app", appName));
        String key = key(app.id());
        return new Urls(storage.presignGet(key), storage.presignPut(key));
    }
}

package io.slipway.api.gitaccess.web;

import io.slipway.api.gitaccess.AuthorizeGitAccess;
import java.util.UUID;

/**
 * Answer of {@code POST /internal/git/authorize}: who pushes, to which app, and for a push the token the
 * gateway uses on the public Builds API (and deletes afterwards). Internal only: no Heroku shape to follow.
 */
public record GitAccessJson(UUID accountId, String email, UUID appId, String appName, String stack, String webUrl,
                            String pushToken, UUID pushTokenId) {
    public static GitAccessJson of(AuthorizeGitAccess.Granted g) {
        return new GitAccessJson(g.account().id(), g.account().email(), g.app().id(), g.app().name(), g.app().stack(),
                g.webUrl(), g.pushToken() == null ? null : g.pushToken().token(),
                g.pushToken() == null ? null : g.pushToken().authorization().id());
    }
}

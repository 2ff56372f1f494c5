package io.slipway.gitgateway.api;

import io.slipway.shared.gitaccess.Access;
import io.slipway.shared.gitaccess.GitAccessClient.Action;
import io.slipway.shared.gitaccess.GitAccessClient.Credential;
import io.slipway.shared.gitaccess.GitAccessClient.RepoUrls;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import java.io.IOException;

/**
 * The gateway's adapter over the shared internal git client ({@link io.slipway.shared.gitaccess.GitAccessClient}):
 * turns refused access into {@link AccessDenied} with the message the git user sees, and makes the one public call
 * the gateway makes for itself (deleting the push token when a push ends).
 */
public final class GitAccessClient {
    private final io.slipway.shared.gitaccess.GitAccessClient internal;
    private final ApiClient api;

    /** @param internal the gateway's own token on the internal listener; {@code api} the public API (as users) */
    public GitAccessClient(InternalTransport internal, ApiClient api) {
        this.internal = new io.slipway.shared.gitaccess.GitAccessClient(internal);
        this.api = api;
    }

    public ApiClient api() {
        return api;
    }

    public Access authorizeByApiKey(String app, Action action, String apiKey) throws AccessDenied {
        return authorize(app, action, Credential.API_KEY, apiKey);
    }

    public Access authorizeBySshKey(String app, Action action, String fingerprint) throws AccessDenied {
        return authorize(app, action, Credential.SSH_FINGERPRINT, fingerprint);
    }

    private Access authorize(String app, Action action, Credential kind, String credential) throws AccessDenied {
        try {
            return internal.authorize(app, action, kind, credential);
        } catch (InternalApiException e) {
            if (e.status() == 401) throw new AccessDenied(AccessDenied.Reason.UNAUTHORIZED, "Invalid credentials provided.");
            if (e.status() == 404 || e.status() == 422) {
                throw new AccessDenied(AccessDenied.Reason.NOT_FOUND, "Couldn't find that app.");
            }
            throw new AccessDenied(AccessDenied.Reason.UNAVAILABLE, "The platform API answered " + e.status()
                    + "; try again shortly.");
        } catch (IOException e) {
            throw new AccessDenied(AccessDenied.Reason.UNAVAILABLE, "The platform API is not reachable; try again shortly.");
        }
    }

    /** Whether an SSH key with this fingerprint ({@code SHA256:...}) is registered to some account. */
    public boolean sshKeyKnown(String fingerprint) throws IOException {
        return internal.sshKeyKnown(fingerprint);
    }

    /** @return true when this holder now has the lock; false when another push holds it */
    public boolean lock(String app, String holder, int ttlSeconds) throws IOException {
        return internal.lock(app, holder, ttlSeconds);
    }

    public void unlock(String app, String holder) throws IOException {
        internal.unlock(app, holder);
    }

    public RepoUrls repoUrls(String app) throws IOException {
        return internal.repoUrls(app);
    }

    /** Deletes a push's token with the token itself, as the user could. */
    public void revokePushToken(Access access) throws IOException {
        if (access.pushToken() == null || access.pushTokenId() == null) return;
        ApiClient.Reply r = api.asUser(access.pushToken(), "DELETE", "/oauth/authorizations/" + access.pushTokenId(), null);
        if (!r.ok() && r.status() != 401 && r.status() != 404) {
            throw new IOException("token revocation answered " + r.status());
        }
    }
}

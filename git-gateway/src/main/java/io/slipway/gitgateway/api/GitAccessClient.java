package io.slipway.gitgateway.api;

import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The api-server's internal git API (see the api-server's {@code gitaccess} package): access decisions, the
 * per-app push lock, repository archive URLs, and the one public call the gateway makes for itself (deleting
 * the push token when a push ends).
 */
public final class GitAccessClient {
    public enum Action { PUSH, FETCH }

    /** Presigned URLs of an app's repository archive. */
    public record RepoUrls(String getUrl, String putUrl) {}

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final InternalTransport internal;
    private final ApiClient api;

    /** @param internal the gateway's own token on the internal listener; {@code api} the public API (as users) */
    public GitAccessClient(InternalTransport internal, ApiClient api) {
        this.internal = internal;
        this.api = api;
    }

    public ApiClient api() {
        return api;
    }

    public Access authorizeByApiKey(String app, Action action, String apiKey) throws AccessDenied {
        return authorize(app, action, "api_key", apiKey);
    }

    public Access authorizeBySshKey(String app, Action action, String fingerprint) throws AccessDenied {
        return authorize(app, action, "ssh_fingerprint", fingerprint);
    }

    private Access authorize(String app, Action action, String credentialField, String credential) throws AccessDenied {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", app);
        body.put("action", action == Action.PUSH ? "push" : "fetch");
        body.put(credentialField, credential);
        Reply r;
        try {
            r = internal.json("POST", "/internal/git/authorize", body, TIMEOUT);
        } catch (IOException e) {
            throw new AccessDenied(AccessDenied.Reason.UNAVAILABLE, "The platform API is not reachable; try again shortly.");
        }
        if (r.status() == 200) return Access.of(r.json());
        if (r.status() == 401) throw new AccessDenied(AccessDenied.Reason.UNAUTHORIZED, "Invalid credentials provided.");
        if (r.status() == 404 || r.status() == 422) {
            throw new AccessDenied(AccessDenied.Reason.NOT_FOUND, "Couldn't find that app.");
        }
        throw new AccessDenied(AccessDenied.Reason.UNAVAILABLE, "The platform API answered " + r.status()
                + "; try again shortly.");
    }

    /** Whether an SSH key with this fingerprint ({@code SHA256:...}) is registered to some account. */
    public boolean sshKeyKnown(String fingerprint) throws IOException {
        Reply r = internal.get("/internal/keys/" + URLEncoder.encode(fingerprint, StandardCharsets.UTF_8), TIMEOUT);
        if (r.status() == 200) return true;
        if (r.status() == 404) return false;
        throw r.error("key lookup");
    }

    /** @return true when this holder now has the lock; false when another push holds it */
    public boolean lock(String app, String holder, int ttlSeconds) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("holder", holder);
        body.put("ttl_seconds", ttlSeconds);
        Reply r = internal.json("POST", "/internal/apps/" + app + "/push-lock", body, TIMEOUT);
        if (r.status() == 200) return true;
        if (r.status() == 409) return false;
        throw r.error("push lock");
    }

    public void unlock(String app, String holder) throws IOException {
        internal.json("DELETE", "/internal/apps/" + app + "/push-lock?holder="
                + URLEncoder.encode(holder, StandardCharsets.UTF_8), null, TIMEOUT).expectOk("push unlock");
    }

    public RepoUrls repoUrls(String app) throws IOException {
        Reply r = internal.json("POST", "/internal/apps/" + app + "/repo-urls", null, TIMEOUT).expect(200, "repository storage");
        return new RepoUrls(r.string("get_url"), r.string("put_url"));
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

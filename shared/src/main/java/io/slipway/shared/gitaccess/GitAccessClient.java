package io.slipway.shared.gitaccess;

import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The git-gateway's side of the internal git API (the api-server's {@code gitaccess} package): access decisions,
 * the per-app push lock, repository archive URLs and SSH key lookups, with the gateway's own token. Here in shared
 * so the api-server's tests hold it to the real server (GitAccessClientContractTest). Refusals surface as
 * {@link InternalApiException} with the Heroku id; the gateway turns them into what the git user sees.
 */
public final class GitAccessClient {
    public enum Action { PUSH, FETCH }

    /** Which credential a git user presented: an API key (HTTPS) or an SSH key's fingerprint. */
    public enum Credential {
        API_KEY("api_key"), SSH_FINGERPRINT("ssh_fingerprint");

        private final String field;

        Credential(String field) {
            this.field = field;
        }
    }

    /** Presigned URLs of an app's repository archive. */
    public record RepoUrls(String getUrl, String putUrl) {}

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final InternalTransport internal;

    public GitAccessClient(InternalTransport internal) {
        this.internal = internal;
    }

    /** {@code POST /internal/git/authorize}: what {@code credential} may do on {@code app}. */
    public Access authorize(String app, Action action, Credential kind, String credential) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", app);
        body.put("action", action == Action.PUSH ? "push" : "fetch");
        body.put(kind.field, credential);
        return Access.of(internal.json("POST", "/internal/git/authorize", body, TIMEOUT).expect(200, "git authorize").json());
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
}

package io.slipway.api.gitaccess.web;

import io.slipway.api.gitaccess.AcquirePushLock;
import io.slipway.api.gitaccess.AuthorizeGitAccess;
import io.slipway.api.gitaccess.ReleasePushLock;
import io.slipway.api.gitaccess.RepositoryUrls;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalApi;
import io.slipway.api.web.JsonBody;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Internal API for the git-gateway (internal listener, git-gateway token): access decisions, the per-app push lock
 * and the URLs of the app's repository archive. See {@code docs/git-gateway.md}.
 */
@RestController
@InternalApi(ComponentRole.GIT_GATEWAY)
public class GitAccessController {
    static final int DEFAULT_LOCK_TTL_SECONDS = 900;
    private final AuthorizeGitAccess authorize;
    private final AcquirePushLock acquirePushLock;
    private final ReleasePushLock releasePushLock;
    private final RepositoryUrls repositoryUrls;
    private final ObjectMapper mapper;

    public GitAccessController(AuthorizeGitAccess authorize, AcquirePushLock acquirePushLock,
                               ReleasePushLock releasePushLock, RepositoryUrls repositoryUrls, ObjectMapper mapper) {
        this.authorize = authorize;
        this.acquirePushLock = acquirePushLock;
        this.releasePushLock = releasePushLock;
        this.repositoryUrls = repositoryUrls;
        this.mapper = mapper;
    }

    @PostMapping("/internal/git/authorize")
    public GitAccessJson authorize(@RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        String app = json.requireString("app");
        AuthorizeGitAccess.Action action = switch (json.requireString("action")) {
            case "push" -> AuthorizeGitAccess.Action.PUSH;
            case "fetch" -> AuthorizeGitAccess.Action.FETCH;
            default -> throw ApiErrors.invalidParams("Invalid `action`: expected \"push\" or \"fetch\".");
        };
        String apiKey = json.optString("api_key");
        String fingerprint = json.optString("ssh_fingerprint");
        if ((apiKey == null) == (fingerprint == null)) {
            throw ApiErrors.invalidParams("Send exactly one of `api_key` and `ssh_fingerprint`.");
        }
        return GitAccessJson.of(authorize.authorize(app, action, new AuthorizeGitAccess.Credentials(apiKey, fingerprint)));
    }

    @PostMapping("/internal/apps/{app}/push-lock")
    public PushLockJson lock(@PathVariable String app, @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        String holder = json.requireString("holder");
        int ttl = DEFAULT_LOCK_TTL_SECONDS;
        JsonNode node = json.node("ttl_seconds");
        if (node != null && !node.isNull()) {
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw ApiErrors.invalidParams("Invalid `ttl_seconds`: expected a whole number of seconds.");
            }
            ttl = node.asInt();
        }
        return PushLockJson.of(acquirePushLock.acquire(app, holder, ttl));
    }

    @DeleteMapping("/internal/apps/{app}/push-lock")
    public ResponseEntity<Void> unlock(@PathVariable String app, @RequestParam(required = false) String holder) {
        releasePushLock.release(app, holder);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/internal/apps/{app}/repo-urls")
    public RepositoryUrlsJson repositoryUrls(@PathVariable String app) {
        return RepositoryUrlsJson.of(repositoryUrls.forApp(app));
    }
}

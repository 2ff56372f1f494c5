package io.slipway.api.accounts.web;

import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.accounts.CreateAuthorization;
import io.slipway.api.accounts.IssueApiKey;
import io.slipway.api.accounts.OAuthAuthorization;
import io.slipway.api.accounts.OAuthAuthorizationRepository;
import io.slipway.api.accounts.RevokeAuthorization;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import io.slipway.api.identity.Identities;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Platform API: OAuth authorizations, i.e. API tokens ({@code heroku login -i}, {@code logout},
 * {@code authorizations:*}). {@code ~} names the account's own API key (the one {@code slipway users:create}
 * issued), as on Heroku where it is the Dashboard's "API Key"; {@code heroku logout} reads it to avoid revoking
 * that key, and revokes the token it logged in with otherwise.
 */
@RestController
public class OAuthAuthorizationsController {
    private final OAuthAuthorizationRepository authorizations;
    private final AccountRepository accounts;
    private final CreateAuthorization createAuthorization;
    private final RevokeAuthorization revokeAuthorization;
    private final ObjectMapper mapper;

    public OAuthAuthorizationsController(OAuthAuthorizationRepository authorizations, AccountRepository accounts,
                                         CreateAuthorization createAuthorization,
                                         RevokeAuthorization revokeAuthorization, ObjectMapper mapper) {
        this.authorizations = authorizations;
        this.accounts = accounts;
        this.createAuthorization = createAuthorization;
        this.revokeAuthorization = revokeAuthorization;
        this.mapper = mapper;
    }

    @PostMapping("/oauth/authorizations")
    public ResponseEntity<OAuthAuthorizationJson> create(Caller caller, @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        if (json.has("client") && !json.isNull("client")) {
            throw ApiErrors.invalidParams("OAuth clients are not supported on this platform; omit `client`.");
        }
        IssueApiKey.Issued issued = createAuthorization.create(caller.accountId(), new CreateAuthorization.Request(
                json.optString("description"), expiresIn(json), scope(json)));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(OAuthAuthorizationJson.created(issued.authorization(), issued.token(), account(caller)));
    }

    @GetMapping("/oauth/authorizations")
    public ResponseEntity<List<OAuthAuthorizationJson>> list(Caller caller,
                                                             @RequestHeader(value = "Range", required = false) String range) {
        Account account = account(caller);
        Instant now = Instant.now();
        List<OAuthAuthorization> live = authorizations.findByAccountIdOrderByCreatedAt(caller.accountId()).stream()
                .filter(a -> !a.expired(now)).toList();
        return Paged.of(live).by("id", a -> a.id().toString())
                .respond(range, a -> OAuthAuthorizationJson.redacted(a, account));
    }

    @GetMapping("/oauth/authorizations/{id}")
    public OAuthAuthorizationJson info(Caller caller, @PathVariable String id) {
        OAuthAuthorization auth = id.equals("~")
                ? authorizations.findFirstByAccountIdAndApiKeyTrue(caller.accountId()).orElse(null)
                : own(caller, id);
        if (auth == null || auth.expired(Instant.now())) throw ApiErrors.notFound("authorization", id);
        return OAuthAuthorizationJson.redacted(auth, account(caller));
    }

    @DeleteMapping("/oauth/authorizations/{id}")
    public OAuthAuthorizationJson revoke(Caller caller, @PathVariable String id) {
        UUID uuid = uuid(id);
        if (uuid == null) throw ApiErrors.notFound("authorization", id);
        return OAuthAuthorizationJson.redacted(revokeAuthorization.revoke(caller.accountId(), uuid), account(caller));
    }

    /**
     * {@code heroku logout} first ends the browser-login session. Slipway has no sessions (logins are
     * authorizations), so there is none to find; the CLI expects exactly this answer then.
     */
    @DeleteMapping("/oauth/sessions/{id}")
    public void endSession(Caller caller, @PathVariable String id) {
        throw ApiErrors.notFound("session", id);
    }

    private OAuthAuthorization own(Caller caller, String id) {
        UUID uuid = uuid(id);
        return uuid == null ? null : authorizations.findByIdAndAccountId(uuid, caller.accountId()).orElse(null);
    }

    private Account account(Caller caller) {
        return accounts.findById(caller.accountId()).orElseThrow(() -> ApiErrors.notFound("account", null));
    }

    private static Long expiresIn(JsonBody json) {
        JsonNode n = json.node("expires_in");
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiErrors.invalidParams("Invalid `expires_in`: expected a whole number of seconds.");
        }
        return n.asLong();
    }

    private static List<String> scope(JsonBody json) {
        JsonNode n = json.node("scope");
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) throw ApiErrors.invalidParams("Invalid `scope`: expected an array of strings.");
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isString()) throw ApiErrors.invalidParams("Invalid `scope`: expected an array of strings.");
            out.add(item.asString());
        }
        return out;
    }

    private static UUID uuid(String s) {
        return Identities.uuidOrNull(s);
    }
}

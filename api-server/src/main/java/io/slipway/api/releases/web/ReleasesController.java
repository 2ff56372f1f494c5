package io.slipway.api.releases.web;

import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.releases.FindRelease;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.releases.RetryRelease;
import io.slipway.api.releases.RollbackRelease;
import io.slipway.api.releases.ReleaseSlug;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Releases: {@code heroku releases}, {@code releases:info}, {@code rollback}, {@code releases:retry}. Listings are ranged by
 * {@code version} (the default, and what the CLI asks for newest first) or {@code id}.
 */
@RestController
public class ReleasesController {
    private final AppAccess access;
    private final ReleaseRepository releases;
    private final AccountRepository accounts;
    private final FindRelease findRelease;
    private final RollbackRelease rollbackRelease;
    private final ReleaseSlug releaseSlug;
    private final RetryRelease retryRelease;
    private final ObjectMapper mapper;
    private final ReleaseOutputController.Urls outputUrls;

    public ReleasesController(AppAccess access, ReleaseRepository releases, AccountRepository accounts,
                              FindRelease findRelease, RollbackRelease rollbackRelease, ReleaseSlug releaseSlug,
                              RetryRelease retryRelease, ObjectMapper mapper, ReleaseOutputController.Urls outputUrls) {
        this.retryRelease = retryRelease;
        this.outputUrls = outputUrls;
        this.access = access;
        this.releases = releases;
        this.accounts = accounts;
        this.findRelease = findRelease;
        this.rollbackRelease = rollbackRelease;
        this.releaseSlug = releaseSlug;
        this.mapper = mapper;
    }

    @GetMapping("/apps/{app}/releases")
    public ResponseEntity<List<ReleaseJson>> list(Caller caller, @PathVariable String app,
                                                  @RequestHeader(value = "Range", required = false) String range) {
        App a = access.visible(caller, app);
        List<Release> all = releases.findByAppIdOrderByVersion(a.id());
        int current = all.stream().filter(r -> Release.SUCCEEDED.equals(r.status()))
                .mapToInt(Release::version).max().orElse(-1);
        Map<UUID, Account> users = accounts.findAllById(all.stream().map(Release::userId)
                        .filter(Objects::nonNull).distinct().toList())
                .stream().collect(Collectors.toMap(Account::id, Function.identity()));
        return Paged.of(all)
                .by("version", Release::version)
                .by("id", r -> r.id().toString())
                .respond(range, r -> ReleaseJson.of(r, a, r.version() == current, user(users, r),
                        outputUrls.of(r)));
    }

    @GetMapping("/apps/{app}/releases/{release}")
    public ReleaseJson info(Caller caller, @PathVariable String app, @PathVariable String release) {
        App a = access.visible(caller, app);
        return present(a, findRelease.of(a, release));
    }

    /**
     * {@code {"release": "<id or version>"}} rolls back. {@code {"slug": "<id>"}} releases a slug of the app
     * (made by a build, or created with {@code POST /apps/{app}/slugs} and uploaded), see {@link ReleaseSlug}.
     * Neither: the newest release's slug or image again ({@link RetryRelease}), what {@code heroku releases:retry}
     * sends for an image release (it sends the slug of a slug release).
     */
    @PostMapping("/apps/{app}/releases")
    public ResponseEntity<ReleaseJson> create(Caller caller, @PathVariable String app,
                                              @RequestBody(required = false) String body) {
        App a = access.visible(caller, app);
        JsonBody json = JsonBody.parse(mapper, body);
        String target = releaseIdentity(json.node("release"));
        String slug = json.optIdentity("slug", "id");
        String description = json.optString("description");
        if (target != null && slug != null) {
            throw ApiErrors.invalidParams("Send either `release` (to roll back) or `slug`, not both.");
        }
        Release created = slug != null ? releaseSlug.release(caller, a.id().toString(), slug, description)
                : target != null ? rollbackRelease.rollback(caller, a.id().toString(), target, description)
                : retryRelease.retry(caller, a.id().toString(), description);
        return ResponseEntity.status(HttpStatus.CREATED).body(present(access.visible(caller, a.id().toString()), created));
    }

    /** The CLI sends the target's id; a version (number or text) is accepted too. */
    private static String releaseIdentity(JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (node.isString()) return node.asString();
        if (node.isIntegralNumber()) return node.asString();
        throw ApiErrors.invalidParams("Invalid `release`: expected the id or version of a release.");
    }

    private ReleaseJson present(App app, Release release) {
        boolean current = releases.findFirstByAppIdAndStatusOrderByVersionDesc(app.id(), Release.SUCCEEDED)
                .map(r -> r.id().equals(release.id())).orElse(false);
        Account user = release.userId() == null ? null : accounts.findById(release.userId()).orElse(null);
        return ReleaseJson.of(release, app, current, user, outputUrls.of(release));
    }

    private static Account user(Map<UUID, Account> users, Release r) {
        return r.userId() == null ? null : users.get(r.userId());
    }
}

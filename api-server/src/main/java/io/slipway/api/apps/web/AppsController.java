package io.slipway.api.apps.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppSummary;
import io.slipway.api.apps.ListApps;
import io.slipway.api.apps.ShowApp;
import io.slipway.api.applifecycle.CreateApp;
import io.slipway.api.applifecycle.DestroyApp;
import io.slipway.api.applifecycle.UpdateApp;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import io.slipway.api.web.RangeRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** Platform API: apps. */
@RestController
public class AppsController {
    private final ListApps listApps;
    private final ShowApp showApp;
    private final AccountRepository accounts;
    private final CreateApp createApp;
    private final UpdateApp updateApp;
    private final DestroyApp destroyApp;
    private final ApiServerConfig config;
    private final ObjectMapper mapper;

    public AppsController(ListApps listApps, ShowApp showApp, AccountRepository accounts, CreateApp createApp,
                          UpdateApp updateApp, DestroyApp destroyApp, ApiServerConfig config, ObjectMapper mapper) {
        this.listApps = listApps;
        this.showApp = showApp;
        this.accounts = accounts;
        this.createApp = createApp;
        this.updateApp = updateApp;
        this.destroyApp = destroyApp;
        this.config = config;
        this.mapper = mapper;
    }

    @PostMapping("/apps")
    public ResponseEntity<AppJson> create(Caller caller, @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        App app = createApp.create(caller.accountId(), new CreateApp.Request(
                json.optString("name"), json.optIdentity("region", "name", "id"), json.optIdentity("stack", "name", "id")));
        return ResponseEntity.status(HttpStatus.CREATED).body(present(app, caller));
    }

    @GetMapping("/apps")
    public ResponseEntity<List<AppJson>> list(Caller caller, @RequestHeader(value = "Range", required = false) String range) {
        return listVisible(caller, range);
    }

    /** {@code heroku apps} lists through here; {@code ~} is the caller. Another user's list is not visible. */
    @GetMapping("/users/{user}/apps")
    public ResponseEntity<List<AppJson>> listForUser(Caller caller, @PathVariable String user,
                                                     @RequestHeader(value = "Range", required = false) String range) {
        boolean self = user.equals("~") || user.equalsIgnoreCase(caller.email())
                || user.equals(caller.accountId().toString());
        if (!self) throw ApiErrors.notFound("user", user);
        return listVisible(caller, range);
    }

    @GetMapping("/apps/{app}")
    public AppJson info(Caller caller, @PathVariable String app) {
        return AppJson.of(showApp.visible(caller, app), config);
    }

    @PatchMapping("/apps/{app}")
    public AppJson update(Caller caller, @PathVariable String app, @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        return present(updateApp.update(caller, app, new UpdateApp.Changes(
                json.optString("name"), json.optBoolean("maintenance"), json.optIdentity("build_stack", "name", "id"))),
                caller);
    }

    @DeleteMapping("/apps/{app}")
    public AppJson destroy(Caller caller, @PathVariable String app) {
        App destroyed = destroyApp.destroy(caller, app);
        Account owner = accounts.findById(destroyed.ownerId()).orElseThrow();
        return AppJson.of(destroyed, owner, config);
    }

    /** One page, ordered, cut and filtered to what the caller may see in SQL ({@link ListApps}). */
    private ResponseEntity<List<AppJson>> listVisible(Caller caller, String rangeHeader) {
        RangeRequest range = RangeRequest.parse(rangeHeader, new LinkedHashSet<>(ListApps.FIELDS), ListApps.FIELDS.get(0));
        List<AppSummary> fetched = listApps.page(caller.accountId(), new ListApps.Window(range.field(), range.start(),
                range.startExclusive(), range.end(), range.descending(), range.max() + 1));
        Function<AppSummary, String> key = range.field().equals("name") ? AppSummary::name : a -> a.id().toString();
        return Paged.page(range, ListApps.FIELDS, fetched, key, a -> AppJson.of(a, config));
    }

    private AppJson present(App app) {
        return AppJson.of(app, accounts.findById(app.ownerId()).orElseThrow(), config);
    }

    /** The caller's own app needs no owner lookup: the caller is the owner (one query less per read). */
    private AppJson present(App app, Caller caller) {
        if (!app.ownerId().equals(caller.accountId())) return present(app);
        return AppJson.of(app, new AppJson.Owner(caller.email(), caller.accountId()), config);
    }
}

package io.slipway.api.addons.web;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonAccess;
import io.slipway.api.addons.AddonListings;
import io.slipway.api.addons.ChangeAddonPlan;
import io.slipway.api.addons.CreateAddon;
import io.slipway.api.addons.DestroyAddon;
import io.slipway.api.addons.RenameAddon;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Platform API: add-ons ({@code addons:create}, {@code addons}, {@code addons:info}, rename, upgrade, destroy). */
@RestController
public class AddonsController {
    private static final String EXPANSION = "Accept-Expansion";
    private final AddonAccess access;
    private final AppAccess appAccess;
    private final AddonListings listings;
    private final CreateAddon createAddon;
    private final DestroyAddon destroyAddon;
    private final RenameAddon renameAddon;
    private final ChangeAddonPlan changeAddonPlan;
    private final AddonPresenter presenter;
    private final ObjectMapper mapper;

    public AddonsController(AddonAccess access, AppAccess appAccess, AddonListings listings, CreateAddon createAddon,
                            DestroyAddon destroyAddon, RenameAddon renameAddon, ChangeAddonPlan changeAddonPlan,
                            AddonPresenter presenter, ObjectMapper mapper) {
        this.access = access;
        this.appAccess = appAccess;
        this.listings = listings;
        this.createAddon = createAddon;
        this.destroyAddon = destroyAddon;
        this.renameAddon = renameAddon;
        this.changeAddonPlan = changeAddonPlan;
        this.presenter = presenter;
        this.mapper = mapper;
    }

    /** Heroku answers 201 for a create (the add-on may still be provisioning; ours are provisioned by then). */
    @PostMapping("/apps/{app}/addons")
    public ResponseEntity<AddonJson> create(Caller caller, @PathVariable String app, @RequestBody(required = false) String body,
                                            @RequestHeader(value = EXPANSION, required = false) String expansion) {
        JsonBody json = JsonBody.parse(mapper, body);
        CreateAddon.Created created = createAddon.create(caller, new CreateAddon.Request(app,
                json.optIdentity("plan", "name", "id"), attachmentName(json), json.optString("name"),
                json.optString("confirm"), options(json)));
        return ResponseEntity.status(HttpStatus.CREATED).body(presenter.addon(created.addon(), expand(expansion)));
    }

    @GetMapping("/addons")
    public List<AddonJson> listAll(Caller caller, @RequestHeader(value = EXPANSION, required = false) String expansion) {
        Set<String> expand = expand(expansion);
        return listings.all(caller).stream().map(a -> presenter.addon(a, expand)).toList();
    }

    @GetMapping("/apps/{app}/addons")
    public List<AddonJson> listForApp(Caller caller, @PathVariable String app,
                                      @RequestHeader(value = EXPANSION, required = false) String expansion) {
        Set<String> expand = expand(expansion);
        return listings.forApp(caller, app).stream().map(a -> presenter.addon(a, expand)).toList();
    }

    @GetMapping("/addons/{addon}")
    @Transactional(readOnly = true)
    public AddonJson info(Caller caller, @PathVariable String addon,
                          @RequestHeader(value = EXPANSION, required = false) String expansion) {
        return presenter.addon(access.visible(caller, addon), expand(expansion));
    }

    /** The add-on must be billed to or attached to that app. */
    @GetMapping("/apps/{app}/addons/{addon}")
    @Transactional(readOnly = true)
    public AddonJson infoForApp(Caller caller, @PathVariable String app, @PathVariable String addon,
                                @RequestHeader(value = EXPANSION, required = false) String expansion) {
        Addon found = listings.forApp(caller, app).stream()
                .filter(a -> a.name().equals(addon) || a.id().toString().equals(addon))
                .findFirst().orElseThrow(() -> ApiErrors.notFound("add-on", addon));
        return presenter.addon(found, expand(expansion));
    }

    /** {@code addons:rename} sends {@code name}; {@code addons:upgrade} sends {@code plan}. */
    @PatchMapping("/apps/{app}/addons/{addon}")
    public AddonJson update(Caller caller, @PathVariable String app, @PathVariable String addon,
                            @RequestBody(required = false) String body,
                            @RequestHeader(value = EXPANSION, required = false) String expansion) {
        JsonBody json = JsonBody.parse(mapper, body);
        String plan = json.optIdentity("plan", "name", "id");
        String name = json.optString("name");
        if (plan == null && name == null) throw ApiErrors.invalidParams("Missing required param `plan`.");
        String identity = onApp(caller, app, addon).id().toString();
        Addon result = null;
        if (plan != null) result = changeAddonPlan.change(caller, identity, plan);
        if (name != null) result = renameAddon.rename(caller, identity, name);
        return presenter.addon(result, expand(expansion));
    }

    @DeleteMapping("/apps/{app}/addons/{addon}")
    public AddonJson destroyForApp(Caller caller, @PathVariable String app, @PathVariable String addon,
                                   @RequestHeader(value = EXPANSION, required = false) String expansion) {
        return presenter.addon(destroyAddon.destroy(caller, app, addon), expand(expansion));
    }

    @DeleteMapping("/addons/{addon}")
    public AddonJson destroy(Caller caller, @PathVariable String addon,
                             @RequestHeader(value = EXPANSION, required = false) String expansion) {
        return presenter.addon(destroyAddon.destroy(caller, null, addon), expand(expansion));
    }

    private Addon onApp(Caller caller, String app, String addon) {
        var appId = appAccess.visible(caller, app).id();
        Addon found = access.billedTo(caller, addon);
        if (!found.appId().equals(appId)) throw ApiErrors.notFound("add-on", addon);
        return found;
    }

    private static String attachmentName(JsonBody json) {
        JsonNode attachment = json.node("attachment");
        if (attachment == null || attachment.isNull()) return null;
        if (!attachment.isObject()) throw ApiErrors.invalidParams("Invalid `attachment`: expected an object.");
        JsonNode name = attachment.get("name");
        if (name == null || name.isNull()) return null;
        if (!name.isString()) throw ApiErrors.invalidParams("Invalid `attachment.name`: expected a string.");
        return name.asString();
    }

    private static Map<String, String> options(JsonBody json) {
        JsonNode config = json.node("config");
        Map<String, String> out = new LinkedHashMap<>();
        if (config == null || config.isNull()) return out;
        if (!config.isObject()) throw ApiErrors.invalidParams("Invalid `config`: expected an object.");
        for (var e : config.properties()) out.put(e.getKey(), e.getValue().asString());
        return out;
    }

    static Set<String> expand(String header) {
        if (header == null) return Set.of();
        return Arrays.stream(header.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}

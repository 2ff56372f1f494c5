package io.slipway.api.addons;

import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.NotFound;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.identity.Caller;
import io.slipway.api.identity.Identities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Heroku's resolvers, what {@code addons:info}, {@code addons:upgrade} and every {@code pg:*} command call first
 * ({@code POST /actions/addons/resolve}, {@code POST /actions/addon-attachments/resolve}). An identifier is an
 * add-on name or id, an attachment name on the given app ({@code DATABASE}, also spelt {@code DATABASE_URL}), or
 * {@code app::NAME}. The answer is every visible match (the CLI reports ambiguity itself); none is a 404 whose
 * {@code resource} the CLI checks ({@code add_on}, {@code add_on attachment}).
 */
@Service
public class ResolveAddons {
    private final AddonRepository addons;
    private final AddonAttachmentRepository attachments;
    private final AddonAccess addonAccess;
    private final AttachmentAccess attachmentAccess;
    private final AppAccess appAccess;
    private final AppRepository apps;

    public ResolveAddons(AddonRepository addons, AddonAttachmentRepository attachments, AddonAccess addonAccess,
                         AttachmentAccess attachmentAccess, AppAccess appAccess, AppRepository apps) {
        this.apps = apps;
        this.addons = addons;
        this.attachments = attachments;
        this.addonAccess = addonAccess;
        this.attachmentAccess = attachmentAccess;
        this.appAccess = appAccess;
    }

    @Transactional(readOnly = true)
    public List<Addon> addons(Caller caller, String identifier, String appIdentity, String service) {
        if (identifier == null) throw new InvalidInput("Missing required param `addon`.");
        Map<UUID, Addon> found = new LinkedHashMap<>();
        for (AddonAttachment a : attachmentsNamed(caller, identifier, appIdentity)) {
            addons.findById(a.addonId()).ifPresent(addon -> found.put(addon.id(), addon));
        }
        if (!identifier.contains("::")) byNameOrId(caller, identifier).ifPresent(a -> found.putIfAbsent(a.id(), a));
        List<Addon> matches = found.values().stream()
                .filter(a -> !Addon.DEPROVISIONED.equals(a.state()))
                .filter(a -> service == null || service.equals(a.service()))
                .toList();
        if (matches.isEmpty()) throw notFound("add_on", "add on");
        return matches;
    }

    @Transactional(readOnly = true)
    public List<AddonAttachment> attachments(Caller caller, String identifier, String appIdentity, String service) {
        if (identifier == null) throw new InvalidInput("Missing required param `addon_attachment`.");
        Map<UUID, AddonAttachment> found = new LinkedHashMap<>();
        for (AddonAttachment a : attachmentsNamed(caller, identifier, appIdentity)) found.put(a.id(), a);
        UUID id = Identities.uuidOrNull(identifier);
        if (id != null) {
            attachments.findById(id).filter(a -> attachmentAccess.canSee(caller, a)).ifPresent(a -> found.putIfAbsent(a.id(), a));
        }
        if (found.isEmpty() && !identifier.contains("::")) {
            // an add-on's name: its attachments (on the given app, if any)
            UUID appId = appIdentity == null ? null : app(caller, appIdentity).map(App::id).orElse(null);
            byNameOrId(caller, identifier).ifPresent(addon -> {
                for (AddonAttachment a : attachments.findByAddonIdOrderByCreatedAt(addon.id())) {
                    if ((appId == null || a.appId().equals(appId)) && attachmentAccess.canSee(caller, a)) found.put(a.id(), a);
                }
            });
        }
        List<AddonAttachment> matches = new ArrayList<>();
        for (AddonAttachment a : found.values()) {
            if (service == null || addons.findById(a.addonId()).filter(x -> service.equals(x.service())).isPresent()) {
                matches.add(a);
            }
        }
        if (matches.isEmpty()) throw notFound("add_on attachment", "add on attachment");
        return matches;
    }

    /** {@code app::NAME}, or {@code NAME} on {@code appIdentity}; {@code NAME_URL} is read as {@code NAME}. */
    private List<AddonAttachment> attachmentsNamed(Caller caller, String identifier, String appIdentity) {
        String appName = appIdentity;
        String name = identifier;
        int sep = identifier.indexOf("::");
        if (sep >= 0) {
            appName = identifier.substring(0, sep);
            name = identifier.substring(sep + 2);
        }
        if (appName == null) return List.of();
        Optional<App> app = app(caller, appName);
        if (app.isEmpty()) return List.of();
        List<AddonAttachment> out = new ArrayList<>();
        attachments.findByAppIdAndName(app.get().id(), name).ifPresent(out::add);
        if (out.isEmpty() && name.endsWith("_URL")) {
            attachments.findByAppIdAndName(app.get().id(), name.substring(0, name.length() - 4)).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Addon> byNameOrId(Caller caller, String identifier) {
        try {
            return Optional.of(addonAccess.visible(caller, identifier));
        } catch (DomainException notVisible) {
            return Optional.empty();
        }
    }

    /** Not through {@code AppAccess.visible}: its not_found would mark this transaction rollback-only. */
    private Optional<App> app(Caller caller, String identity) {
        UUID id = Identities.uuidOrNull(identity);
        return (id != null ? apps.findById(id) : apps.findByName(identity)).filter(a -> appAccess.canUse(caller, a));
    }

    private static DomainException notFound(String resource, String words) {
        return new NotFound(resource, null, words);
    }
}

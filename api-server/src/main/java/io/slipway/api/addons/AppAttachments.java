package io.slipway.api.addons;

import io.slipway.api.errors.ConfirmationRequired;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.addons.catalogue.AddonService;
import io.slipway.api.apps.App;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Chooses the names a new attachment takes on an app, as Heroku does: {@code --as NAME} if given; otherwise the
 * service's default ({@code DATABASE}, {@code REDIS}) while it is free, else a colour alias. heroku-postgresql
 * add-ons created on their app always get their colour alias too ({@code HEROKU_POSTGRESQL_RED_URL}). A name
 * already used on the app (by an attachment or a config var) is replaced only when {@code confirm} is the app's name.
 */
@Component
public class AppAttachments {
    private final AddonAttachmentRepository attachments;
    private final AddonRepository addons;
    private final AttachmentConfig attachmentConfig;

    public AppAttachments(AddonAttachmentRepository attachments, AddonRepository addons, AttachmentConfig attachmentConfig) {
        this.attachments = attachments;
        this.addons = addons;
        this.attachmentConfig = attachmentConfig;
    }

    /** Fails early (before provisioning) when {@code requested} is taken on the app and not confirmed. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void checkFree(App app, String requested, String confirm) {
        if (requested == null) return;
        String name = AttachmentNames.check(requested);
        if (taken(app).contains(name) && !app.name().equals(confirm)) {
            throw new ConfirmationRequired("This action will replace " + name + " on " + app.name()
                    + ". To proceed, type " + app.name() + " or re-run this command with --confirm " + app.name());
        }
    }

    /**
     * The names {@code addon} is attached as on {@code app}; a confirmed replacement detaches what held the name
     * (its vars are removed here; the caller's release carries the change).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<String> choose(App app, AddonService service, String requested, String confirm, boolean withColour) {
        checkFree(app, requested, confirm);
        Set<String> taken = taken(app);
        List<String> names = new ArrayList<>();
        if (requested != null) {
            String name = AttachmentNames.check(requested);
            replace(app, name);
            names.add(name);
        } else if (!taken.contains(service.attachmentName())) {
            names.add(service.attachmentName());
        }
        if (withColour || names.isEmpty()) {
            Set<String> all = new HashSet<>(taken);
            all.addAll(names);
            String colour = AttachmentNames.colourAlias(service.configVarPrefix(), all);
            if (colour != null) names.add(colour);
        }
        if (names.isEmpty()) {
            throw new InvalidInput("No attachment name is free on " + app.name() + "; give one with --as.");
        }
        return names;
    }

    /** Attachment names on the app, and config var names ending in _URL without that suffix. */
    private Set<String> taken(App app) {
        Set<String> taken = new HashSet<>();
        for (AddonAttachment a : attachments.findByAppIdOrderByCreatedAt(app.id())) taken.add(a.name());
        for (String key : app.configVars().keySet()) {
            taken.add(key);
            if (key.endsWith("_URL")) taken.add(key.substring(0, key.length() - 4));
        }
        return taken;
    }

    private void replace(App app, String name) {
        attachments.findByAppIdAndName(app.id(), name).ifPresent(old -> {
            Addon oldAddon = addons.findById(old.addonId()).orElseThrow();
            Map<String, String> config = app.configVars();
            oldAddon.config().keySet().forEach(suffix -> config.remove(name + "_" + suffix));
            app.replaceConfigVars(config);
            attachments.delete(old);
            attachments.flush();
        });
    }

    /** Saves the attachments and sets their vars in one release. */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<AddonAttachment> attach(App app, Addon addon, List<String> names, UUID userId) {
        List<AddonAttachment> made = new ArrayList<>();
        for (String name : names) made.add(attachments.save(new AddonAttachment(addon.id(), app.id(), name)));
        attachments.flush();
        attachmentConfig.attach(app, addon, names, userId);
        return made;
    }
}

package io.slipway.api.addons;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.identity.Caller;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku addons:rename} ({@code PATCH /apps/{app}/addons/{addon}} with {@code name}). Only the name
 * changes: config vars and credentials stay, so no release.
 */
@Service
public class RenameAddon {
    private final AddonAccess access;
    private final AddonNames names;
    private final AddonRepository addons;

    public RenameAddon(AddonAccess access, AddonNames names, AddonRepository addons) {
        this.access = access;
        this.names = names;
        this.addons = addons;
    }

    @Transactional
    public Addon rename(Caller caller, String addonIdentity, String newName) {
        Addon addon = access.billedTo(caller, addonIdentity);
        if (addon.name().equals(newName)) return addon;
        addon.rename(names.checkRename(newName));
        try {
            return addons.saveAndFlush(addon);
        } catch (DataIntegrityViolationException e) {
            throw new InvalidInput("Name " + newName + " is already taken.");
        }
    }
}

package io.slipway.api.volumes;

import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.dynos.RestartDynos;
import io.slipway.api.identity.Caller;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Attaches a new volume to an app's process type (owner or collaborator). The type's running dynos restart so
 * they get it, as they would for a config change; dynos started later get it too.
 */
@Service
public class AddVolume {
    private final AppAccess access;
    private final VolumeRepository volumes;
    private final RestartDynos restart;

    public AddVolume(AppAccess access, VolumeRepository volumes, RestartDynos restart) {
        this.access = access;
        this.volumes = volumes;
        this.restart = restart;
    }

    public record Request(String name, String processType, String mountPath, Integer sizeMb) {}

    public record Added(Volume volume, App app) {}

    @Transactional
    public Added add(Caller caller, String appIdentity, Request request) {
        App app = access.visible(caller, appIdentity);
        String name = VolumeRules.name(request.name());
        String type = VolumeRules.processType(request.processType());
        String path = VolumeRules.mountPath(request.mountPath());
        int size = VolumeRules.sizeMb(request.sizeMb());
        if (volumes.existsByAppIdAndName(app.id(), name)) {
            throw new Conflict("volume", app.name() + " already has a volume named " + name + ".");
        }
        if (volumes.existsByAppIdAndProcessTypeAndMountPath(app.id(), type, path)) {
            throw new Conflict("volume", type + " dynos of " + app.name() + " already have a volume at " + path + ".");
        }
        if (volumes.countByAppId(app.id()) >= VolumeRules.MAX_PER_APP) {
            throw new InvalidInput(app.name() + " already has " + VolumeRules.MAX_PER_APP
                    + " volumes, the most an app may have.");
        }
        Volume volume;
        try {
            volume = volumes.saveAndFlush(new Volume(app.id(), name, type, path, size));
        } catch (DataIntegrityViolationException e) {
            throw new Conflict("volume", app.name() + " already has that volume."); // a concurrent add
        }
        restart.runningOfType(app, type);
        return new Added(volume, app);
    }
}

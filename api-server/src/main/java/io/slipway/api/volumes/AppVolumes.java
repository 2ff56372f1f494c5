package io.slipway.api.volumes;

import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.dynos.RestartDynos;
import io.slipway.api.identity.Caller;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Lists, finds and removes an app's volumes, for its owner and collaborators. */
@Service
public class AppVolumes {
    private final AppAccess access;
    private final VolumeRepository volumes;
    private final RestartDynos restart;

    public AppVolumes(AppAccess access, VolumeRepository volumes, RestartDynos restart) {
        this.access = access;
        this.volumes = volumes;
        this.restart = restart;
    }

    public record Listed(App app, List<Volume> volumes) {}

    public record Found(App app, Volume volume) {}

    @Transactional(readOnly = true)
    public Listed list(Caller caller, String appIdentity) {
        App app = access.visible(caller, appIdentity);
        return new Listed(app, volumes.findByAppIdOrderByCreatedAt(app.id()));
    }

    @Transactional(readOnly = true)
    public Found find(Caller caller, String appIdentity, String identity) {
        App app = access.visible(caller, appIdentity);
        return new Found(app, find(app, identity));
    }

    /**
     * The type's dynos restart without it; each agent then deletes its copy (the data is gone: there is no undo,
     * as with {@code heroku addons:destroy}).
     */
    @Transactional
    public Found remove(Caller caller, String appIdentity, String identity) {
        App app = access.visible(caller, appIdentity);
        Volume volume = find(app, identity);
        volumes.delete(volume);
        restart.runningOfType(app, volume.processType());
        return new Found(app, volume);
    }

    private Volume find(App app, String identity) {
        for (Volume v : volumes.findByAppIdOrderByCreatedAt(app.id())) {
            if (v.name().equals(identity) || v.id().toString().equals(identity)) return v;
        }
        throw new NotFound("volume", identity);
    }
}

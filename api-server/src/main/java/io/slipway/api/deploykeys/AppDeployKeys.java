package io.slipway.api.deploykeys;

import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.identity.Caller;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Lists and finds an app's deploy keys, for its owner and collaborators; removes one. */
@Service
public class AppDeployKeys {
    private final AppAccess access;
    private final DeployKeyRepository deployKeys;

    public AppDeployKeys(AppAccess access, DeployKeyRepository deployKeys) {
        this.access = access;
        this.deployKeys = deployKeys;
    }

    public record Listed(App app, List<DeployKey> keys) {}

    public record Found(App app, DeployKey key) {}

    @Transactional(readOnly = true)
    public Listed list(Caller caller, String appIdentity) {
        App app = access.visible(caller, appIdentity);
        return new Listed(app, deployKeys.findByAppIdOrderByCreatedAt(app.id()));
    }

    @Transactional(readOnly = true)
    public Found find(Caller caller, String appIdentity, String keyIdentity) {
        App app = access.visible(caller, appIdentity);
        return new Found(app, find(app, keyIdentity));
    }

    /** The key stops working at once: the gateway asks the api-server on every SSH login and every push. */
    @Transactional
    public Found remove(Caller caller, String appIdentity, String keyIdentity) {
        App app = access.visible(caller, appIdentity);
        DeployKey key = find(app, keyIdentity);
        deployKeys.delete(key);
        return new Found(app, key);
    }

    /** By id, fingerprint or name, within this app only. */
    private DeployKey find(App app, String identity) {
        for (DeployKey k : deployKeys.findByAppIdOrderByCreatedAt(app.id())) {
            if (k.fingerprint().equals(identity) || k.name().equals(identity) || k.id().toString().equals(identity)) {
                return k;
            }
        }
        throw new NotFound("deploy_key", identity, "deploy key");
    }
}

package io.slipway.api.dynos;

import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.formation.FormationRepository;
import io.slipway.api.identity.Identities;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Resolves what a restart or stop names: one dyno (by id or name, e.g. {@code web.1}), or a process type
 * (one of the formation's, or the type of a running dyno such as {@code run}). Unknown ones are not found.
 */
@Component
public class DynoTargets {
    private final DynoRepository dynos;
    private final FormationRepository formations;

    public DynoTargets(DynoRepository dynos, FormationRepository formations) {
        this.dynos = dynos;
        this.formations = formations;
    }

    @Transactional(readOnly = true)
    public Optional<Dyno> find(App app, String identity) {
        if (identity == null) return Optional.empty();
        UUID id = Identities.uuidOrNull(identity);
        if (id != null) return dynos.findById(id).filter(d -> d.appId().equals(app.id()));
        // during a deploy the old and the new release's web.1 are both up: the name means the newer one
        return dynos.findByAppIdAndNameAndDesiredStateOrderByCreatedAtDesc(app.id(), identity, Dyno.DESIRED_UP)
                .stream().findFirst();
    }

    public Dyno requireDyno(App app, String identity) {
        return find(app, identity).orElseThrow(() -> new NotFound("dyno", identity));
    }

    @Transactional(readOnly = true)
    public String requireType(App app, String type) {
        if (formations.existsByAppIdAndType(app.id(), type)
                || dynos.existsByAppIdAndTypeAndDesiredState(app.id(), type, Dyno.DESIRED_UP)) {
            return type;
        }
        throw new NotFound("process type", type);
    }
}

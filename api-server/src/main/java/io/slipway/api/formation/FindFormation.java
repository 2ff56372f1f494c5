package io.slipway.api.formation;

import io.slipway.api.apps.App;
import io.slipway.api.identity.Identities;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A process type of an app by Heroku's {@code formation_identity}: the formation's id or its type. */
@Component
public class FindFormation {
    private final FormationRepository formations;

    public FindFormation(FormationRepository formations) {
        this.formations = formations;
    }

    @Transactional(readOnly = true)
    public Optional<Formation> of(App app, String identity) {
        if (identity == null) return Optional.empty();
        UUID id = Identities.uuidOrNull(identity);
        if (id != null) return formations.findById(id).filter(f -> f.appId().equals(app.id()));
        return formations.findByAppIdAndType(app.id(), identity);
    }
}

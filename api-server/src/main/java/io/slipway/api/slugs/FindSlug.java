package io.slipway.api.slugs;

import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.identity.Identities;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A slug of an app by id ({@code slug_identity}); another app's slug is not found. */
@Component
public class FindSlug {
    private final SlugRepository slugs;

    public FindSlug(SlugRepository slugs) {
        this.slugs = slugs;
    }

    @Transactional(readOnly = true)
    public Slug of(App app, String identity) {
        UUID id = Identities.uuidOrNull(identity);
        if (id == null) throw new NotFound("slug", identity);
        return slugs.findByIdAndAppId(id, app.id()).orElseThrow(() -> new NotFound("slug", identity));
    }
}

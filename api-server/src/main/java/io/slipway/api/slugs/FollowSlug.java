package io.slipway.api.slugs;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.formation.DefineProcessTypes;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A rollback runs an older slug again: the formation follows that slug's process types and the app's slug
 * size is that slug's, as after its own deploy. Slugs this server does not know (none, or releases made
 * before slugs were recorded) change nothing.
 */
@Service
public class FollowSlug {
    private final SlugRepository slugs;
    private final AppRepository apps;
    private final DefineProcessTypes defineProcessTypes;

    public FollowSlug(SlugRepository slugs, AppRepository apps, DefineProcessTypes defineProcessTypes) {
        this.slugs = slugs;
        this.apps = apps;
        this.defineProcessTypes = defineProcessTypes;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void follow(App app, UUID slugId) {
        if (slugId == null) return;
        slugs.findByIdAndAppId(slugId, app.id()).filter(s -> s.size() != null).ifPresent(slug -> {
            app.setSlugSize(slug.size());
            apps.save(app);
            defineProcessTypes.define(app, slug.processTypes());
        });
    }
}

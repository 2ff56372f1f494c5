package io.slipway.api.releases;

import io.slipway.api.slugs.Slug;
import io.slipway.api.slugs.SlugRepository;
import io.slipway.api.slugs.VerifySlugObject;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.formation.DefineProcessTypes;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The last step of every deploy (a build's result, or a release of an uploaded slug), in the caller's
 * transaction so that it happens whole or not at all: the verified size is recorded on the slug and the app,
 * the formation follows the slug's process types, and release v(N+1) is created with the app's current
 * config ({@code release.created} last, after {@code formation.changed}). The caller has locked the app and
 * verified the object ({@link VerifySlugObject}). A slug with a release phase ({@code release:} in its
 * Procfile) leaves the formation alone: its release is pending, and the formation follows it only when it
 * goes live ({@code releases.phase.FinishReleasePhase}), so a failed release phase changes nothing.
 */
@Service
public class DeploySlug {
    private final SlugRepository slugs;
    private final AppRepository apps;
    private final DefineProcessTypes defineProcessTypes;
    private final CreateRelease createRelease;

    public DeploySlug(SlugRepository slugs, AppRepository apps, DefineProcessTypes defineProcessTypes,
                      CreateRelease createRelease) {
        this.slugs = slugs;
        this.apps = apps;
        this.defineProcessTypes = defineProcessTypes;
        this.createRelease = createRelease;
    }

    /** {@code description} null: Heroku's {@code Deploy <commit>}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Release deploy(App app, Slug slug, long verifiedSize, String description, UUID userId) {
        slug.recordSize(verifiedSize);
        slugs.save(slug);
        app.setSlugSize(verifiedSize);
        apps.save(app);
        if (!slug.processTypes().containsKey(DefineProcessTypes.RELEASE_PHASE)) {
            defineProcessTypes.define(app, slug.processTypes());
        }
        String text = description == null || description.isBlank() ? slug.deployDescription() : description;
        return createRelease.create(app, text, slug.id(), userId);
    }
}

package io.slipway.api.releases.phase;

import io.slipway.api.formation.DefineProcessTypes;
import io.slipway.api.images.ImageRepository;
import io.slipway.api.releases.Artifact;
import io.slipway.api.slugs.SlugRepository;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The release-phase command of a slug (its Procfile's {@code release:} line) or an image, if it has one. */
@Component
public class ReleasePhaseCommand {
    private final SlugRepository slugs;
    private final ImageRepository images;

    public ReleasePhaseCommand(SlugRepository slugs, ImageRepository images) {
        this.slugs = slugs;
        this.images = images;
    }

    /** The slug's, or an image's: its {@code release} process type (heroku.yml {@code release:}). */
    public Optional<String> of(UUID appId, Artifact artifact) {
        if (artifact.imageId() == null) return of(appId, artifact.slugId());
        return images.findByIdAndAppId(artifact.imageId(), appId)
                .map(i -> i.processTypes().get(DefineProcessTypes.RELEASE_PHASE))
                .filter(c -> !c.isBlank());
    }

    /** Empty when there is no slug (a release before any deploy) or the slug has no {@code release} type. */
    public Optional<String> of(UUID appId, UUID slugId) {
        if (slugId == null) return Optional.empty();
        return slugs.findByIdAndAppId(slugId, appId)
                .map(s -> s.processTypes().get(DefineProcessTypes.RELEASE_PHASE))
                .filter(c -> !c.isBlank());
    }
}

package io.slipway.api.releases.phase;

import io.slipway.api.formation.DefineProcessTypes;
import io.slipway.api.slugs.SlugRepository;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The release-phase command of a slug: its Procfile's {@code release:} line, if it has one. */
@Component
public class ReleasePhaseCommand {
    private final SlugRepository slugs;

    public ReleasePhaseCommand(SlugRepository slugs) {
        this.slugs = slugs;
    }

    /** Empty when there is no slug (a release before any deploy) or the slug has no {@code release} type. */
    public Optional<String> of(UUID appId, UUID slugId) {
        if (slugId == null) return Optional.empty();
        return slugs.findByIdAndAppId(slugId, appId)
                .map(s -> s.processTypes().get(DefineProcessTypes.RELEASE_PHASE))
                .filter(c -> !c.isBlank());
    }
}

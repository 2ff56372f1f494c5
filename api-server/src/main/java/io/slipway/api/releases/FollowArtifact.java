package io.slipway.api.releases;

import io.slipway.api.apps.App;
import io.slipway.api.images.FollowImage;
import io.slipway.api.slugs.FollowSlug;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * An older (or release-phase gated) release goes live: the formation follows its artifact's process types,
 * whichever kind it is, so a rollback from an image release to a slug release and back works.
 */
@Service
public class FollowArtifact {
    private final FollowSlug followSlug;
    private final FollowImage followImage;

    public FollowArtifact(FollowSlug followSlug, FollowImage followImage) {
        this.followSlug = followSlug;
        this.followImage = followImage;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void follow(App app, Artifact artifact) {
        if (artifact.imageId() != null) followImage.follow(app, artifact.imageId());
        else followSlug.follow(app, artifact.slugId());
    }
}

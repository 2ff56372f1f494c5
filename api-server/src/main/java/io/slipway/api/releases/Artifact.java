package io.slipway.api.releases;

import java.util.UUID;

/**
 * What a release runs: a slug (buildpack deploys, uploaded slugs), an image (Dockerfile deploys), or nothing yet
 * (the initial release). Never both. Config changes and add-on attachments carry the current release's artifact
 * into the new release; a rollback carries the target's.
 */
public record Artifact(UUID slugId, UUID imageId) {
    public static final Artifact NONE = new Artifact(null, null);

    public Artifact {
        if (slugId != null && imageId != null) throw new IllegalArgumentException("a release runs a slug or an image");
    }

    public static Artifact slug(UUID slugId) {
        return new Artifact(slugId, null);
    }

    public static Artifact image(UUID imageId) {
        return new Artifact(null, imageId);
    }

    /** True when the release has code to run. */
    public boolean present() {
        return slugId != null || imageId != null;
    }
}

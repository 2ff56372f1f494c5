package io.slipway.dynoagent.images;

import io.slipway.shared.agents.Assignment;
import io.slipway.shared.images.ImageLayer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes the image roots and layer blobs no assignment of this agent uses any more, after each read of the
 * assignments. A dyno still stopping on a root that goes keeps it until its end (the file system is unmounted
 * lazily); a dyno placed here again later fetches its image again.
 */
public final class ImageJanitor {
    private ImageJanitor() {}

    public static void collect(ImageRoots roots, List<Assignment> assignments) {
        Set<String> manifests = new HashSet<>();
        Set<String> layers = new HashSet<>();
        for (Assignment a : assignments) {
            if (a.image() == null) continue;
            if (ImageLayer.isDigest(a.image().manifestDigest())) manifests.add(ImageLayer.hex(a.image().manifestDigest()));
            for (ImageLayer l : a.image().layers()) if (ImageLayer.isDigest(l.digest())) layers.add(ImageLayer.hex(l.digest()));
        }
        roots.retainOnly(manifests);
        roots.blobs().retainOnly(layers);
    }
}

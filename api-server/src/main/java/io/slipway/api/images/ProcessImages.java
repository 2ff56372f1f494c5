package io.slipway.api.images;

import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The images a release's process types run in when its build made several (heroku.yml naming several
 * Dockerfiles): the release points at the primary image (web's), which records, per process type, another image
 * of the same app. Every lookup goes through the primary's app id, so an image of another app is never found,
 * whatever an id says.
 */
@Component
public class ProcessImages {
    private final ImageRepository images;

    public ProcessImages(ImageRepository images) {
        this.images = images;
    }

    /** The image a dyno of {@code type} runs: its own, or the primary for every type without one. */
    public Image forType(Image primary, String type) {
        UUID id = primary.processImages().get(type);
        if (id == null) return primary;
        return images.findByIdAndAppId(id, primary.appId()).orElse(primary);
    }

    /** What the formation follows for a release of {@code primary} ({@link ImageProcessTypes}). */
    public Map<String, String> types(Image primary) {
        Map<String, ImageConfig> configs = new LinkedHashMap<>();
        primary.processImages().keySet().forEach(type -> configs.put(type, forType(primary, type).config()));
        return ImageProcessTypes.of(primary.processTypes(), primary.config(), configs);
    }

    /**
     * Records the other images of a build (one row per distinct manifest, in the primary's app) and which type
     * runs in which, before the primary is saved. {@code inBase}: per manifest digest, the blobs verified in the
     * base namespace. A type whose image is the primary's own manifest is not recorded: it runs in the primary.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(Image primary, Map<String, ImageRef> byType, Map<String, Set<String>> inBase) {
        Map<String, Image> byManifest = new LinkedHashMap<>();
        Map<String, Image> typeImages = new LinkedHashMap<>();
        byType.forEach((type, ref) -> {
            if (ref.manifestDigest().equals(primary.manifestDigest())) return;
            Image image = byManifest.computeIfAbsent(ref.manifestDigest(), d -> images.save(Image.ofApp(primary.appId(),
                    ref, inBase.getOrDefault(d, Set.of()), Map.of(), primary.commit(), primary.commitDescription())));
            typeImages.put(type, image);
        });
        primary.runTypesIn(typeImages);
    }
}

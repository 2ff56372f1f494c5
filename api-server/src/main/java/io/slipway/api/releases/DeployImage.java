package io.slipway.api.releases;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.formation.DefineProcessTypes;
import io.slipway.api.images.Image;
import io.slipway.api.images.ImageRepository;
import io.slipway.api.images.ProcessImages;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The last step of a Dockerfile deploy, as {@link DeploySlug} is for slugs, in the caller's transaction so it
 * happens whole or not at all: the image is recorded, the formation follows its process types (the image's own
 * command as {@code web} when the build declared none), and release v(N+1) is created with the app's current
 * config ({@code release.created} last). The caller has locked the app, verified every blob in storage and saved
 * the build's other images ({@link ProcessImages}). An
 * image with a release phase leaves the formation alone until the phase succeeds.
 */
@Service
public class DeployImage {
    private final ImageRepository images;
    private final AppRepository apps;
    private final DefineProcessTypes defineProcessTypes;
    private final CreateRelease createRelease;
    private final ProcessImages processImages;

    public DeployImage(ImageRepository images, AppRepository apps, DefineProcessTypes defineProcessTypes,
                       CreateRelease createRelease, ProcessImages processImages) {
        this.processImages = processImages;
        this.images = images;
        this.apps = apps;
        this.defineProcessTypes = defineProcessTypes;
        this.createRelease = createRelease;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Release deploy(App app, Image image, UUID userId) {
        Map<String, String> types = processImages.types(image); // the build's other images are saved already
        images.saveAndFlush(image);
        app.setSlugSize(0);
        apps.save(app);
        if (!types.containsKey(DefineProcessTypes.RELEASE_PHASE)) defineProcessTypes.define(app, types);
        return createRelease.create(app, image.deployDescription(), Artifact.image(image.id()), userId);
    }
}

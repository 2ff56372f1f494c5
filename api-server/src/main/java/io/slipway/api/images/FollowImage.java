package io.slipway.api.images;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.formation.DefineProcessTypes;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A release of an image goes live (a deploy without a release phase, a rollback to it, a release phase that
 * ended well): the formation follows the image's process types ({@link ImageProcessTypes}), and the app's slug
 * size is 0 (an image release has no slug; Heroku shows none for container apps).
 */
@Service
public class FollowImage {
    private final ImageRepository images;
    private final AppRepository apps;
    private final DefineProcessTypes defineProcessTypes;
    private final ProcessImages processImages;

    public FollowImage(ImageRepository images, AppRepository apps, DefineProcessTypes defineProcessTypes,
                       ProcessImages processImages) {
        this.processImages = processImages;
        this.images = images;
        this.apps = apps;
        this.defineProcessTypes = defineProcessTypes;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void follow(App app, UUID imageId) {
        if (imageId == null) return;
        images.findByIdAndAppId(imageId, app.id()).ifPresent(image -> {
            app.setSlugSize(0);
            apps.save(app);
            defineProcessTypes.define(app, processImages.types(image));
        });
    }
}

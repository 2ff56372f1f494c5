package io.slipway.api.images;

import io.slipway.api.errors.NotFound;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@code GET /internal/images[/{name}]}: the platform's base images (what a Dockerfile's {@code FROM} names). */
@Service
public class FindBaseImage {
    private final ImageRepository images;

    public FindBaseImage(ImageRepository images) {
        this.images = images;
    }

    @Transactional(readOnly = true)
    public Image of(BaseImageName ref) {
        return images.findByAppIdIsNullAndNameAndTag(ref.name(), ref.tag()).orElseThrow(() -> notAvailable(ref));
    }

    @Transactional(readOnly = true)
    public List<Image> all() {
        return images.findByAppIdIsNullOrderByNameAscTagAsc();
    }

    /** The build's message when its {@code FROM} names an image the platform does not have. */
    public static NotFound notAvailable(BaseImageName ref) {
        return NotFound.withMessage("image", "Base image " + ref + " is not available: import it with slipway images:import.");
    }
}

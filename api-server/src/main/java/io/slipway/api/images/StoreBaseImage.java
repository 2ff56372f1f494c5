package io.slipway.api.images;

import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.InvalidInput;
import io.slipway.shared.images.ImageRef;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operator's side of base images ({@code slipway images:import}): which blobs to upload
 * ({@code POST /internal/images/blobs}), then {@code PUT /internal/images/{name}} records the image once every
 * blob is verified in the base namespace, replacing an earlier import of the same name:tag. Base blobs are never
 * deleted: app images built on an older import may still use them. Root is not refused here (base images usually
 * run as root; an app's Dockerfile must set a USER).
 */
@Service
public class StoreBaseImage {
    private final ImageRepository images;
    private final ImageBlobs imageBlobs;
    private final VerifyImageBlobs verify;
    private final ImagesConfig limits;
    private final TransactionTemplate transaction;

    public StoreBaseImage(ImageRepository images, ImageBlobs imageBlobs, VerifyImageBlobs verify, ImagesConfig limits,
                          PlatformTransactionManager transactions) {
        this.images = images;
        this.imageBlobs = imageBlobs;
        this.verify = verify;
        this.limits = limits;
        this.transaction = new TransactionTemplate(transactions);
    }

    public List<BlobRequest.Answer> blobs(List<BlobRequest> blobs) {
        return imageBlobs.forBase(BlobRequest.check(blobs, limits.maxBlobs(), limits.maxBytes()));
    }

    public Image store(BaseImageName ref, ImageRef image) {
        ImageInput.check(image, limits);
        try {
            verify.verify(null, image);
        } catch (VerifyImageBlobs.Rejected e) {
            throw new InvalidInput(e.getMessage());
        }
        try {
            return transaction.execute(tx -> {
                Image stored = images.findByAppIdIsNullAndNameAndTag(ref.name(), ref.tag()).orElse(null);
                if (stored == null) return images.saveAndFlush(Image.base(ref.name(), ref.tag(), image));
                stored.replace(image);
                return images.saveAndFlush(stored);
            });
        } catch (DataIntegrityViolationException e) {
            throw new Conflict("image", "Base image " + ref + " was imported at the same time; try again.");
        }
    }
}

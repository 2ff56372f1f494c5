package io.slipway.api.builds;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.errors.NotFound;
import io.slipway.api.images.BlobRequest;
import io.slipway.api.images.ImageBlobs;
import io.slipway.api.images.ImagesConfig;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /internal/builds/{id}/image-blobs}: before uploading an image, the worker holding the build's
 * lease asks which blobs the platform still needs; it gets a presigned PUT URL in the app's namespace for each, or
 * null for a blob already stored for this app or as a base-image blob ({@link ImageBlobs}). The lease is checked
 * in a short transaction; the storage lookups run outside it.
 */
@Service
public class RequestImageBlobs {
    private final BuildRepository builds;
    private final ImageBlobs imageBlobs;
    private final ImagesConfig limits;
    private final long maxBlobBytes;
    private final TransactionTemplate transaction;

    public RequestImageBlobs(BuildRepository builds, ImageBlobs imageBlobs, ImagesConfig limits, ApiServerConfig config,
                             PlatformTransactionManager transactions) {
        this.builds = builds;
        this.imageBlobs = imageBlobs;
        this.limits = limits;
        this.maxBlobBytes = config.builds().maxSlugBytes();
        this.transaction = new TransactionTemplate(transactions);
    }

    /** {@code workerId} null: not checked (as for heartbeats). */
    public List<BlobRequest.Answer> request(UUID buildId, List<BlobRequest> blobs, String workerId) {
        Build build = transaction.execute(tx -> builds.findById(buildId)
                .orElseThrow(() -> new NotFound("build", buildId.toString())));
        if (!build.leasedTo(workerId)) throw LeaseLost.of(build);
        return imageBlobs.forApp(build.appId(), BlobRequest.check(blobs, limits.maxBlobs(), maxBlobBytes));
    }
}

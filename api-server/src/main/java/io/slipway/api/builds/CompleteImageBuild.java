package io.slipway.api.builds;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppLock;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.images.Image;
import io.slipway.api.images.ImageInput;
import io.slipway.api.images.ImageProcessTypes;
import io.slipway.api.images.ImagesConfig;
import io.slipway.api.images.VerifyImageBlobs;
import io.slipway.api.releases.DeployImage;
import io.slipway.api.releases.Release;
import io.slipway.api.slugs.ProcessTypes;
import io.slipway.api.slugs.Texts;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageRef;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /internal/builds/{id}/result} with an {@code image} (a Dockerfile deploy), the image twin of
 * {@link CompleteBuild}'s slug path. First the rules (supported layers, size limit, process types, a non-root
 * user, something to run), then every blob is verified in storage outside any transaction; a failure fails the
 * build with the reason (the worker gets 422 with it) and the previous release keeps serving. Then ONE
 * transaction records the image, makes the formation follow it, creates release vN ({@code release.created})
 * and marks the build succeeded. A repeated result answers as the first; a build the worker no longer holds, 409.
 */
@Service
public class CompleteImageBuild {
    private final AppRepository apps;
    private final AppLock appLock;
    private final VerifyImageBlobs verify;
    private final DeployImage deployImage;
    private final BuildResults results;
    private final ImagesConfig limits;
    private final TransactionTemplate transaction;

    CompleteImageBuild(AppRepository apps, AppLock appLock, VerifyImageBlobs verify, DeployImage deployImage,
                       BuildResults results, ImagesConfig limits, PlatformTransactionManager transactions) {
        this.apps = apps;
        this.appLock = appLock;
        this.verify = verify;
        this.deployImage = deployImage;
        this.results = results;
        this.limits = limits;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** The image as the worker describes it; {@code commit} null: the build's {@code source_blob.version}. */
    public record ImageReport(ImageRef image, Map<String, String> processTypes, String commit,
                              String commitDescription) {}

    /** {@code workerId} null: not checked. Returns the release the build made. */
    public Release complete(UUID buildId, ImageReport report, String workerId) {
        Build seen = results.seen(buildId);
        Optional<Release> repeated = results.alreadyReleased(seen, workerId);
        if (repeated.isPresent()) return repeated.get();

        Map<String, String> processTypes;
        Set<String> inBase;
        try {
            ImageInput.check(report.image(), limits);
            processTypes = ProcessTypes.validate(report.processTypes());
            ImageConfig imageConfig = report.image().config();
            if (imageConfig.runsAsRoot()) throw new InvalidInput(ImageConfig.ROOT_REFUSED);
            ImageProcessTypes.of(processTypes, imageConfig);
        } catch (DomainException e) {
            throw results.failVerification(seen, e.getMessage());
        }
        try {
            inBase = verify.verify(seen.appId(), report.image());
        } catch (VerifyImageBlobs.Rejected e) {
            throw results.failVerification(seen, e.getMessage());
        }

        return transaction.execute(tx -> {
            App app = appLock.lock(apps.findById(seen.appId()).orElseThrow(() -> BuildResults.notFound(buildId)));
            Build build = results.lockedAsSeen(seen);
            Build.Source source = build.source();
            Image image = Image.ofApp(app.id(), report.image(), inBase, processTypes,
                    Texts.sanitize(report.commit() != null ? report.commit() : source.version(), 256),
                    Texts.sanitize(report.commitDescription() != null ? report.commitDescription()
                            : source.versionDescription(), Texts.DEFAULT_MAX));
            app.deployedOn(build.stack());
            Release release = deployImage.deploy(app, image, build.userId());
            build.succeedWithImage(release.id(), Instant.now());
            results.announce(build, app, release);
            return release;
        });
    }
}

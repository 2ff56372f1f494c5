package io.slipway.api.builds;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppLock;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.images.Image;
import io.slipway.api.images.ImageInput;
import io.slipway.api.images.ImageProcessTypes;
import io.slipway.api.images.ImagesConfig;
import io.slipway.api.images.VerifyImageBlobs;
import io.slipway.api.releases.DeployImage;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.slugs.ProcessTypes;
import io.slipway.api.slugs.Texts;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageRef;
import java.time.Instant;
import java.util.Map;
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
    private final BuildRepository builds;
    private final AppRepository apps;
    private final AppLock appLock;
    private final ReleaseRepository releases;
    private final VerifyImageBlobs verify;
    private final DeployImage deployImage;
    private final FailBuild failBuild;
    private final BuildOutput output;
    private final ApiServerConfig config;
    private final ImagesConfig limits;
    private final TransactionTemplate transaction;

    public CompleteImageBuild(BuildRepository builds, AppRepository apps, AppLock appLock, ReleaseRepository releases,
                              VerifyImageBlobs verify, DeployImage deployImage, FailBuild failBuild, BuildOutput output,
                              ApiServerConfig config, ImagesConfig limits, PlatformTransactionManager transactions) {
        this.builds = builds;
        this.apps = apps;
        this.appLock = appLock;
        this.releases = releases;
        this.verify = verify;
        this.deployImage = deployImage;
        this.failBuild = failBuild;
        this.output = output;
        this.config = config;
        this.limits = limits;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** The image as the worker describes it; {@code commit} null: the build's {@code source_blob.version}. */
    public record ImageReport(ImageRef image, Map<String, String> processTypes, String commit,
                              String commitDescription) {}

    /** {@code workerId} null: not checked. Returns the release the build made. */
    public Release complete(UUID buildId, ImageReport report, String workerId) {
        Build seen = transaction.execute(tx -> builds.findById(buildId).orElseThrow(() -> notFound(buildId)));
        if (Build.SUCCEEDED.equals(seen.status()) && seen.releaseId() != null) {
            return releases.findById(seen.releaseId()).orElse(null);
        }
        if (!seen.leasedTo(workerId)) throw LeaseLost.of(seen);
        String lease = seen.leaseOwner();

        Map<String, String> processTypes;
        Set<String> inBase;
        try {
            ImageInput.check(report.image(), limits);
            processTypes = ProcessTypes.validate(report.processTypes());
            ImageConfig imageConfig = report.image().config();
            if (imageConfig.runsAsRoot()) throw new InvalidInput(ImageConfig.ROOT_REFUSED);
            ImageProcessTypes.of(processTypes, imageConfig);
        } catch (DomainException e) {
            throw failVerification(buildId, lease, e.getMessage());
        }
        try {
            inBase = verify.verify(seen.appId(), report.image());
        } catch (VerifyImageBlobs.Rejected e) {
            throw failVerification(buildId, lease, e.getMessage());
        }

        return transaction.execute(tx -> {
            App app = appLock.lock(apps.findById(seen.appId()).orElseThrow(() -> notFound(buildId)));
            Build build = builds.findForUpdate(buildId).orElseThrow(() -> notFound(buildId));
            if (!build.leased() || !lease.equals(build.leaseOwner()) || build.attempts() != seen.attempts()) {
                throw LeaseLost.of(build);
            }
            Build.Source source = build.source();
            Image image = Image.ofApp(app.id(), report.image(), inBase, processTypes,
                    Texts.sanitize(report.commit() != null ? report.commit() : source.version(), 256),
                    Texts.sanitize(report.commitDescription() != null ? report.commitDescription()
                            : source.versionDescription(), Texts.DEFAULT_MAX));
            app.deployedOn(build.stack());
            Release release = deployImage.deploy(app, image, build.userId());
            build.succeedWithImage(release.id(), Instant.now());
            output.append(build.id(), "-----> Launching...\n       Released v" + release.version() + "\n       "
                    + config.webUrl(app.name()) + " deployed to Slipway\n");
            return release;
        });
    }

    /** Fails the build (if the same lease still holds it) and returns the 422 the worker gets. */
    private DomainException failVerification(UUID buildId, String lease, String message) {
        transaction.executeWithoutResult(tx -> builds.findForUpdate(buildId)
                .filter(b -> b.leased() && lease.equals(b.leaseOwner()))
                .ifPresent(b -> failBuild.fail(b, message)));
        return new InvalidInput(FailBuild.oneLine(message));
    }

    private static DomainException notFound(UUID buildId) {
        return new NotFound("build", buildId.toString());
    }
}

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
import io.slipway.api.images.ProcessImages;
import io.slipway.api.images.VerifyImageBlobs;
import io.slipway.api.releases.DeployImage;
import io.slipway.api.releases.Release;
import io.slipway.api.slugs.ProcessTypes;
import io.slipway.api.slugs.Texts;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageRef;
import java.time.Instant;
import java.util.LinkedHashMap;
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
    /** Each is verified blob by blob in storage; a build-worker builds at most 8 Dockerfiles. */
    static final int MAX_OTHER_IMAGES = 15;
    private final AppRepository apps;
    private final AppLock appLock;
    private final VerifyImageBlobs verify;
    private final DeployImage deployImage;
    private final BuildResults results;
    private final ImagesConfig limits;
    private final ProcessImages processImages;
    private final TransactionTemplate transaction;

    CompleteImageBuild(AppRepository apps, AppLock appLock, VerifyImageBlobs verify, DeployImage deployImage,
                       BuildResults results, ImagesConfig limits, ProcessImages processImages,
                       PlatformTransactionManager transactions) {
        this.processImages = processImages;
        this.apps = apps;
        this.appLock = appLock;
        this.verify = verify;
        this.deployImage = deployImage;
        this.results = results;
        this.limits = limits;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * The image as the worker describes it; {@code commit} null: the build's {@code source_blob.version}.
     * {@code processImages}: the image each process type runs in when not the primary (heroku.yml naming several
     * Dockerfiles); each is checked and verified in the app's namespace like the primary.
     */
    public record ImageReport(ImageRef image, Map<String, String> processTypes, String commit,
                              String commitDescription, Map<String, ImageRef> processImages) {
        public ImageReport(ImageRef image, Map<String, String> processTypes, String commit, String commitDescription) {
            this(image, processTypes, commit, commitDescription, Map.of());
        }
    }

    /** {@code workerId} null: not checked. Returns the release the build made. */
    public Release complete(UUID buildId, ImageReport report, String workerId) {
        Build seen = results.seen(buildId);
        Optional<Release> repeated = results.alreadyReleased(seen, workerId);
        if (repeated.isPresent()) return repeated.get();

        Map<String, String> processTypes;
        Set<String> inBase;
        Map<String, Set<String>> othersInBase = new LinkedHashMap<>(); // per manifest digest
        try {
            ImageInput.check(report.image(), limits);
            processTypes = ProcessTypes.validate(report.processTypes());
            ImageConfig imageConfig = report.image().config();
            if (imageConfig.runsAsRoot()) throw new InvalidInput(ImageConfig.ROOT_REFUSED);
            ImageProcessTypes.of(processTypes, imageConfig, otherConfigs(report.processImages()));
        } catch (DomainException e) {
            throw results.failVerification(seen, e.getMessage());
        }
        try {
            inBase = verify.verify(seen.appId(), report.image());
            for (ImageRef other : report.processImages().values()) {
                // the worker's word is not enough: every blob must be in this app's namespace (or a base blob)
                if (!othersInBase.containsKey(other.manifestDigest())) {
                    othersInBase.put(other.manifestDigest(), verify.verify(seen.appId(), other));
                }
            }
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
            processImages.record(image, report.processImages(), othersInBase);
            app.deployedOn(build.stack());
            Release release = deployImage.deploy(app, image, build.userId());
            build.succeedWithImage(release.id(), Instant.now());
            results.announce(build, app, release);
            return release;
        });
    }

    /** The other images' rules, as the primary's; their configs by process type. */
    private Map<String, ImageConfig> otherConfigs(Map<String, ImageRef> others) {
        if (others.size() > ProcessTypes.MAX_TYPES) {
            throw new InvalidInput("At most " + ProcessTypes.MAX_TYPES + " process types can run in their own images.");
        }
        if (others.values().stream().map(ImageRef::manifestDigest).distinct().count() > MAX_OTHER_IMAGES) {
            throw new InvalidInput("A build can make at most " + (MAX_OTHER_IMAGES + 1) + " images.");
        }
        Map<String, ImageConfig> configs = new LinkedHashMap<>();
        for (Map.Entry<String, ImageRef> e : others.entrySet()) {
            ProcessTypes.validate(Map.of(e.getKey(), "-"));
            ImageInput.check(e.getValue(), limits);
            if (e.getValue().config().runsAsRoot()) {
                throw new InvalidInput("The image of " + e.getKey() + ": " + ImageConfig.ROOT_REFUSED);
            }
            configs.put(e.getKey(), e.getValue().config());
        }
        return configs;
    }
}

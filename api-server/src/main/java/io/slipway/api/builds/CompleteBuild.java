package io.slipway.api.builds;

import io.slipway.api.errors.DomainException;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppLock;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.DeploySlug;
import io.slipway.api.slugs.ProcessTypes;
import io.slipway.api.slugs.Slug;
import io.slipway.api.slugs.SlugRepository;
import io.slipway.api.slugs.Texts;
import io.slipway.api.slugs.VerifySlugObject;
import io.slipway.api.storage.ObjectKeys;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /internal/builds/{id}/result}: how a build ends.
 *
 * <p>Success: the slug the worker uploaded is verified in storage first (HEAD: it exists, has the reported
 * size, is within the limit), outside any transaction; then ONE transaction records the slug, makes the
 * formation follow its process types, creates release vN ({@code release.created}) and marks the build
 * succeeded. Either all of it commits or none of it: no half release. A slug that does not verify fails the
 * build with the reason (the worker gets 422 with the same message).
 *
 * <p>Repeating a result that was already applied answers as the first time (a worker may retry after a
 * network error); a result for a build the worker no longer holds answers 409.
 */
@Service
public class CompleteBuild {
    private final BuildRepository builds;
    private final AppRepository apps;
    private final AppLock appLock;
    private final SlugRepository slugs;
    private final VerifySlugObject verify;
    private final DeploySlug deploySlug;
    private final FailBuild failBuild;
    private final BuildResults results;
    private final TransactionTemplate transaction;

    CompleteBuild(BuildRepository builds, AppRepository apps, AppLock appLock, SlugRepository slugs,
                  VerifySlugObject verify, DeploySlug deploySlug, FailBuild failBuild, BuildResults results,
                  PlatformTransactionManager transactions) {
        this.builds = builds;
        this.apps = apps;
        this.appLock = appLock;
        this.slugs = slugs;
        this.verify = verify;
        this.deploySlug = deploySlug;
        this.failBuild = failBuild;
        this.results = results;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** What the worker reports; {@code workerId} null when it did not say (then it is not checked). */
    public sealed interface Outcome permits Failed, Succeeded {
        String workerId();
    }

    public record Failed(String message, String workerId) implements Outcome {}

    public record Succeeded(SlugReport slug, String workerId) implements Outcome {}

    /** The slug as the worker describes it; {@code commit} null: the build's {@code source_blob.version}. */
    public record SlugReport(String checksum, long size, Map<String, String> processTypes,
                             String buildpackProvidedDescription, String commit, String commitDescription) {}

    /** {@code release} null: the build failed. */
    public record Completed(Release release) {}

    public Completed complete(UUID buildId, Outcome outcome) {
        if (outcome instanceof Failed f) return transaction.execute(tx -> failed(buildId, f));
        return succeeded(buildId, (Succeeded) outcome);
    }

    private Completed failed(UUID buildId, Failed f) {
        Build build = builds.findForUpdate(buildId).orElseThrow(() -> BuildResults.notFound(buildId));
        if (Build.FAILED.equals(build.status())) return new Completed(null);
        if (!build.leasedTo(f.workerId())) throw LeaseLost.of(build);
        failBuild.fail(build, f.message());
        return new Completed(null);
    }

    private Completed succeeded(UUID buildId, Succeeded s) {
        Build seen = results.seen(buildId);
        Optional<Release> repeated = results.alreadyReleased(seen, s.workerId());
        if (repeated.isPresent()) return new Completed(repeated.get());

        Map<String, String> processTypes;
        long size;
        try {
            processTypes = ProcessTypes.validate(s.slug().processTypes());
        } catch (DomainException e) {
            throw results.failVerification(seen, "The build's process types are invalid: " + e.getMessage());
        }
        try {
            size = verify.verify(seen.slugId().toString(), ObjectKeys.slug(seen.appId(), seen.slugId()), s.slug().size());
        } catch (VerifySlugObject.Rejected e) {
            throw results.failVerification(seen, e.getMessage());
        }

        return transaction.execute(tx -> {
            App app = appLock.lock(apps.findById(seen.appId()).orElseThrow(() -> BuildResults.notFound(buildId)));
            Build build = results.lockedAsSeen(seen);
            SlugReport r = s.slug();
            Build.Source source = build.source();
            Slug slug = slugs.save(new Slug(build.slugId(), app.id(), new Slug.Description(processTypes, r.checksum(),
                    build.stack(), Texts.sanitize(r.buildpackProvidedDescription(), 256),
                    Texts.sanitize(r.commit() != null ? r.commit() : source.version(), 256),
                    Texts.sanitize(r.commitDescription() != null ? r.commitDescription() : source.versionDescription(),
                            Texts.DEFAULT_MAX))));
            app.deployedOn(build.stack());
            Release release = deploySlug.deploy(app, slug, size, null, build.userId());
            build.succeed(release.id(), Instant.now());
            results.announce(build, app, release);
            return new Completed(release);
        });
    }
}

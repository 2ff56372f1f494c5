package io.slipway.api.builds;

import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppLock;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.releases.DeploySlug;
import io.slipway.api.slugs.ProcessTypes;
import io.slipway.api.slugs.Slug;
import io.slipway.api.slugs.SlugRepository;
import io.slipway.api.slugs.Texts;
import io.slipway.api.slugs.VerifySlugObject;
import io.slipway.api.storage.ObjectKeys;
import java.time.Instant;
import java.util.Map;
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
    private final ReleaseRepository releases;
    private final VerifySlugObject verify;
    private final DeploySlug deploySlug;
    private final FailBuild failBuild;
    private final BuildOutput output;
    private final ApiServerConfig config;
    private final TransactionTemplate transaction;

    public CompleteBuild(BuildRepository builds, AppRepository apps, AppLock appLock, SlugRepository slugs,
                         ReleaseRepository releases, VerifySlugObject verify, DeploySlug deploySlug, FailBuild failBuild,
                         BuildOutput output, ApiServerConfig config, PlatformTransactionManager transactions) {
        this.builds = builds;
        this.apps = apps;
        this.appLock = appLock;
        this.slugs = slugs;
        this.releases = releases;
        this.verify = verify;
        this.deploySlug = deploySlug;
        this.failBuild = failBuild;
        this.output = output;
        this.config = config;
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
        Build build = builds.findForUpdate(buildId).orElseThrow(() -> notFound(buildId));
        if (Build.FAILED.equals(build.status())) return new Completed(null);
        if (!build.leasedTo(f.workerId())) throw LeaseLost.of(build);
        failBuild.fail(build, f.message());
        return new Completed(null);
    }

    private Completed succeeded(UUID buildId, Succeeded s) {
        Build seen = transaction.execute(tx -> builds.findById(buildId).orElseThrow(() -> notFound(buildId)));
        if (Build.SUCCEEDED.equals(seen.status()) && seen.releaseId() != null) {
            return new Completed(releases.findById(seen.releaseId()).orElse(null));
        }
        if (!seen.leasedTo(s.workerId())) throw LeaseLost.of(seen);
        String lease = seen.leaseOwner();

        Map<String, String> processTypes;
        long size;
        try {
            processTypes = ProcessTypes.validate(s.slug().processTypes());
        } catch (DomainException e) {
            throw failVerification(buildId, lease, "The build's process types are invalid: " + e.getMessage());
        }
        try {
            size = verify.verify(seen.slugId().toString(), ObjectKeys.slug(seen.appId(), seen.slugId()), s.slug().size());
        } catch (VerifySlugObject.Rejected e) {
            throw failVerification(buildId, lease, e.getMessage());
        }

        return transaction.execute(tx -> {
            App app = appLock.lock(apps.findById(seen.appId()).orElseThrow(() -> notFound(buildId)));
            Build build = builds.findForUpdate(buildId).orElseThrow(() -> notFound(buildId));
            if (!build.leased() || !lease.equals(build.leaseOwner()) || build.attempts() != seen.attempts()) {
                throw LeaseLost.of(build);
            }
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
            output.append(build.id(), "-----> Launching...\n       Released v" + release.version() + "\n       "
                    + config.webUrl(app.name()) + " deployed to Slipway\n");
            return new Completed(release);
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

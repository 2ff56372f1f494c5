package io.slipway.api.builds;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.apps.App;
import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps every successful build result takes, whatever the artifact (a slug in {@link CompleteBuild}, an
 * image in {@link CompleteImageBuild}): answer a repeated result as the first time, hold the worker to its lease
 * before and inside the release's transaction, fail the build when its artifact does not verify, and end the
 * output as Heroku does.
 */
@Component
class BuildResults {
    private final BuildRepository builds;
    private final ReleaseRepository releases;
    private final FailBuild failBuild;
    private final BuildOutput output;
    private final ApiServerConfig config;
    private final TransactionTemplate transaction;

    BuildResults(BuildRepository builds, ReleaseRepository releases, FailBuild failBuild, BuildOutput output,
                 ApiServerConfig config, PlatformTransactionManager transactions) {
        this.builds = builds;
        this.releases = releases;
        this.failBuild = failBuild;
        this.output = output;
        this.config = config;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** The build as it is now (read in a transaction of its own, before any verification). */
    Build seen(UUID buildId) {
        return transaction.execute(tx -> builds.findById(buildId).orElseThrow(() -> notFound(buildId)));
    }

    /**
     * The release a repeated result already made, or empty when the build is still to be completed by this
     * worker; throws {@link LeaseLost} when the worker no longer holds the build.
     */
    Optional<Release> alreadyReleased(Build seen, String workerId) {
        if (Build.SUCCEEDED.equals(seen.status()) && seen.releaseId() != null) {
            return Optional.of(releases.findById(seen.releaseId()).orElse(null));
        }
        if (!seen.leasedTo(workerId)) throw LeaseLost.of(seen);
        return Optional.empty();
    }

    /** Inside the release's transaction: the build, locked, still leased as it was when the result came. */
    Build lockedAsSeen(Build seen) {
        Build build = builds.findForUpdate(seen.id()).orElseThrow(() -> notFound(seen.id()));
        if (!build.leased() || !seen.leaseOwner().equals(build.leaseOwner()) || build.attempts() != seen.attempts()) {
            throw LeaseLost.of(build);
        }
        return build;
    }

    /** Fails the build (if the same lease still holds it) and returns the 422 the worker gets. */
    DomainException failVerification(Build seen, String message) {
        transaction.executeWithoutResult(tx -> builds.findForUpdate(seen.id())
                .filter(b -> b.leased() && seen.leaseOwner().equals(b.leaseOwner()))
                .ifPresent(b -> failBuild.fail(b, message)));
        return new InvalidInput(FailBuild.oneLine(message));
    }

    /** The last lines of the push, as Heroku ends a deploy. */
    void announce(Build build, App app, Release release) {
        output.append(build.id(), "-----> Launching...\n       Released v" + release.version() + "\n       "
                + config.webUrl(app.name()) + " deployed to Slipway\n");
    }

    static DomainException notFound(UUID buildId) {
        return new NotFound("build", buildId.toString());
    }
}

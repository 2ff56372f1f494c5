package io.slipway.gitgateway.deploy;

import io.slipway.gitgateway.sideband.Remote;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.shared.gitaccess.Access;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * Builds a push before its branch moves, as Heroku does from its pre-receive hook: archive the pushed commit,
 * run the build, stream its output into the push, and say how it ended. A failed build answers false, the
 * caller rejects the ref update, and the repository (and the app's current release) stay as they were. So
 * does a build whose release phase ({@code release:} in the Procfile) fails: its release never goes live.
 */
public final class Deployer {
    private final BuildClient builds;
    private final ScratchFiles scratch;

    /** Where source archives are written while they upload. */
    @FunctionalInterface
    public interface ScratchFiles {
        Path create() throws IOException;
    }

    public Deployer(BuildClient builds, ScratchFiles scratch) {
        this.builds = builds;
        this.scratch = scratch;
    }

    /** @return true when the build succeeded and the branch may be updated */
    public boolean deploy(ReceivePack rp, Access access, ReceiveCommand cmd) {
        Remote remote = new Remote(rp);
        Path archive = null;
        try {
            archive = scratch.create();
            SourceArchive.write(rp.getRepository(), cmd.getNewId(), archive);
            remote.line("Compressing source files... done.");
            remote.line("Building source:");
            remote.line("");
            BuildOutput output = new BuildOutput(remote, access.stack());
            BuildClient.Result result = builds.build(new BuildClient.Request(access, archive, cmd.getNewId().name()), output);
            output.finish();
            if (result.succeeded()) {
                if (!output.printedLaunching()) remote.line(Remote.STEP + "Launching...");
                if (result.releaseVersion() != null && !output.printedReleased()) {
                    remote.line(Remote.DETAIL + "Released v" + result.releaseVersion());
                }
                // the api-server ends a successful build's output with the URL line; add it only when it did not
                if (!output.printedReleased()) remote.line(Remote.DETAIL + access.webUrl() + " deployed to Slipway");
                remote.line("");
                return true;
            }
            if (result.status() == BuildClient.Status.RELEASE_FAILED) {
                remote.error(result.message());
                remote.line("");
                remote.error("Push failed");
                return false;
            }
            if (result.message() != null && !output.showedError(result.message())) remote.error(result.message());
            if (!output.showedErrorStartingWith("Push rejected")) {
                remote.error("Push rejected, failed to compile " + (output.language() == null ? "" : output.language() + " ") + "app.");
            }
            remote.line("");
            remote.error("Push failed");
            return false;
        } catch (IOException | RuntimeException e) {
            remote.error("The build could not run: " + message(e));
            failed(remote, null);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            remote.error("The push was interrupted.");
            return false;
        } finally {
            // scratch space; what a failed delete leaves, the work directory's cleaning at start-up takes
            if (archive != null) TreeDelete.deleteOrLog(archive);
        }
    }

    private static void failed(Remote remote, String language) {
        remote.error("Push rejected, failed to compile " + (language == null ? "" : language + " ") + "app.");
        remote.line("");
        remote.error("Push failed");
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

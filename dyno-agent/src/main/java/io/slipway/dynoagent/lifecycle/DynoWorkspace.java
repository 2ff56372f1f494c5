package io.slipway.dynoagent.lifecycle;

import io.slipway.shared.agents.Assignment;
import io.slipway.dynoagent.assignments.DynoSizes;
import io.slipway.dynoagent.attach.AttachSession;
import io.slipway.dynoagent.config.SandboxSettings;
import io.slipway.dynoagent.drivers.DynoSpec;
import io.slipway.dynoagent.images.ImageUser;
import io.slipway.dynoagent.logs.DynoLog;
import io.slipway.dynoagent.slugs.SlugUnpacker;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.shared.images.ImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A dyno's directory on the agent ({@code <data>/dynos/<dyno id>}): its slug, unpacked as the app's own user onto
 * the size-limited file system the driver prepares, the app's volumes it binds, and what the driver keeps for
 * the process. Removed when the
 * dyno ends; prepared afresh (the slug unpacked again) when a crash left no app behind.
 */
final class DynoWorkspace {
    private final DynoContext ctx;
    private final Path dir;
    private int uid = -1; // the app's dyno user, known once the slug is prepared
    private java.util.List<DynoSpec.VolumeMount> volumes = java.util.List.of(); // mounted once prepared
    private DynoSpec.ImageRun image; // an image dyno's root and user, once prepared

    DynoWorkspace(DynoContext ctx, String dynoId) {
        this.ctx = ctx;
        this.dir = ctx.config().dataDir().resolve("dynos").resolve(safe(dynoId));
    }

    /** Fetches (or reuses) the slug and unpacks it; answers the app directory (an image dyno: the image's root). */
    Path prepare(Assignment a) throws IOException, InterruptedException {
        remove();
        Files.createDirectories(dir);
        image = null;
        if (a.slug() == null && a.image() != null) return prepareImage(a);
        if (a.slug() == null) throw new IOException("the assignment has no slug");
        Path tarball = ctx.slugs().fetch(a.slug().id(), a.slug().url(), a.slug().checksum());
        uid = ctx.driver().uidFor(String.valueOf(a.appId()));
        ctx.driver().prepareSlugDir(dir.resolve("slug"), DynoSizes.diskBytes(a), uid);
        Path app = SlugUnpacker.unpack(tarball, dir, uid);
        volumes = VolumeMounts.of(ctx.driver(), a, uid);
        return app;
    }

    /**
     * An image dyno: the image's read-only root (fetched, verified and unpacked once per agent) and its user, read
     * from the image's own {@code /etc/passwd}; root and the agent's own dyno uids are refused. The app's volumes
     * belong to the image's user.
     */
    private Path prepareImage(Assignment a) throws IOException, InterruptedException {
        String problem = ctx.driver().imageProblem();
        if (problem != null) throw new IOException(problem);
        if (a.image().config().runsAsRoot()) throw new ImageUser.RefusedUser(ImageConfig.ROOT_REFUSED);
        Path root = ctx.images().rootFor(a.image());
        SandboxSettings sandbox = ctx.config().sandbox();
        ImageUser user = ImageUser.resolve(root, a.image().config().user(), sandbox.uidFrom(), sandbox.uidTo());
        uid = user.uid();
        volumes = VolumeMounts.of(ctx.driver(), a, user.uid());
        ImageConfig config = a.image().config();
        image = new DynoSpec.ImageRun(root, user.uid(), user.gid(), user.home(), config.env(), config.workingDir(),
                config.defaultCommand());
        return root;
    }

    /** What the driver starts; an attached dyno's output goes to the user only, others' to the app log. */
    DynoSpec spec(Assignment a, Path app, int port, AttachSession attach, DynoLog log) {
        Consumer<String> lines = attach == null ? log::app : null;
        return new DynoSpec(a.dynoId(), a.name(), a.command(), a.env(), app, dir, port,
                DynoSizes.memoryBytes(a), DynoSizes.pids(a), uid, attach != null && a.attach().tty(), lines,
                attach == null ? null : attach.output(), volumes, image);
    }

    /** Unmounts and deletes the directory. */
    void remove() {
        ctx.driver().releaseSlugDir(dir.resolve("slug"));
        TreeDelete.deleteOrLog(dir);
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}

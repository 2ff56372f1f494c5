package io.slipway.dynoagent.lifecycle;

import io.slipway.dynoagent.assignments.Assignment;
import io.slipway.dynoagent.assignments.DynoSizes;
import io.slipway.dynoagent.attach.AttachSession;
import io.slipway.dynoagent.drivers.DynoSpec;
import io.slipway.dynoagent.logs.DynoLog;
import io.slipway.dynoagent.slugs.SlugUnpacker;
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

    DynoWorkspace(DynoContext ctx, String dynoId) {
        this.ctx = ctx;
        this.dir = ctx.config().dataDir().resolve("dynos").resolve(safe(dynoId));
    }

    /** Fetches (or reuses) the slug and unpacks it; answers the app directory. */
    Path prepare(Assignment a) throws IOException, InterruptedException {
        remove();
        Files.createDirectories(dir);
        if (a.slug() == null) throw new IOException("the assignment has no slug");
        Path tarball = ctx.slugs().fetch(a.slug().id(), a.slug().url(), a.slug().checksum());
        uid = ctx.driver().uidFor(String.valueOf(a.appId()));
        ctx.driver().prepareSlugDir(dir.resolve("slug"), DynoSizes.diskBytes(a), uid);
        Path app = SlugUnpacker.unpack(tarball, dir, uid);
        volumes = VolumeMounts.of(ctx.driver(), a, uid);
        return app;
    }

    /** What the driver starts; an attached dyno's output goes to the user only, others' to the app log. */
    DynoSpec spec(Assignment a, Path app, int port, AttachSession attach, DynoLog log) {
        Consumer<String> lines = attach == null ? log::app : null;
        return new DynoSpec(a.dynoId(), a.name(), a.command(), a.env(), app, dir, port,
                DynoSizes.memoryBytes(a), DynoSizes.pids(a), uid, attach != null && a.attach().tty(), lines,
                attach == null ? null : attach.output(), volumes);
    }

    /** Unmounts and deletes the directory. */
    void remove() {
        ctx.driver().releaseSlugDir(dir.resolve("slug"));
        SlugUnpacker.deleteTree(dir);
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}

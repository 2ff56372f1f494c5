package io.slipway.buildworker.images;

import io.slipway.shared.images.ImagesClient;
import io.slipway.buildworker.container.Cancellation;
import io.slipway.buildworker.run.BuildCancelledException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Puts each image a Dockerfile names into the worker's storage before {@code buildah bud --pull-never} runs:
 * <ol>
 * <li>a platform base image first ({@code heroku-24}, {@code localhost/x}): so {@code FROM heroku-24} never
 *     leaves the platform, and the operator's image wins over the mirror's of the same name;</li>
 * <li>otherwise, when the worker has a registry mirror, pulled from it: Docker Hub-style names
 *     ({@code python:3.12} as {@code library/python:3.12}, {@code bitnami/redis}, {@code docker.io/...}, by digest
 *     too) and names of the mirror's own host. A name with any other registry host is refused before anything
 *     is contacted: the worker's network reaches the platform's internals, so a tenant-chosen host would be
 *     a request forgery from the worker.</li>
 * </ol>
 * The worker's storage is shared by the builds it runs, so what one app's build pulled stays there; another app's
 * build only ever uses it after the mirror has answered the same name for it (every pull asks the mirror), and
 * every build uses the worker's one mirror credential anyway: nothing on the mirror is one tenant's.
 */
final class BaseImageSources {
    /** A {@code FROM} image that cannot be had; the message is for the build's output. */
    static final class UnavailableException extends Exception {
        UnavailableException(String message) {
            super(message);
        }
    }

    private final BaseImageLoader platform;
    private final MirrorPuller mirror;

    /** @param mirror null when the worker has no registry mirror */
    BaseImageSources(BaseImageLoader platform, MirrorPuller mirror) {
        this.platform = platform;
        this.mirror = mirror;
    }

    void provide(ImageReference ref, Path scratch, Duration timeLeft, Consumer<String> info, Cancellation cancellation)
            throws IOException, UnavailableException, BuildCancelledException {
        BaseImageName platformName = platformName(ref);
        if (ref.isLocal() && platformName == null) {
            throw new UnavailableException("FROM " + ref + ": localhost/ names a platform base image by its one-word "
                    + "name (like localhost/heroku-24), without a digest.");
        }
        if (platformName != null) {
            try {
                platform.load(platformName, scratch, info);
                return;
            } catch (ImagesClient.BaseImageMissingException e) {
                if (ref.isLocal()) {
                    throw new UnavailableException("Base image " + platformName + " is not available: import it with "
                            + "slipway images:import.");
                }
                if (mirror == null) {
                    throw new UnavailableException("Base image " + platformName + " is not available: import it with "
                            + "slipway images:import or configure a registry mirror.");
                }
            }
        }
        if (mirror == null) {
            throw new UnavailableException("FROM " + ref + ": this platform pulls no images from registries (it has "
                    + "no registry mirror); use a platform base image by name, like heroku-24 (the operator adds "
                    + "them with slipway images:import).");
        }
        if (!ref.isDockerHub() && !ref.domain().equalsIgnoreCase(mirror.host())) {
            throw new UnavailableException("FROM " + ref + ": builds pull images from the platform's registry mirror "
                    + "only, not from " + ref.domain() + "; name the image without a registry host (like python:3.12).");
        }
        if (reserved(ref)) {
            throw new UnavailableException("FROM " + ref + ": this name is reserved for the build worker's own images.");
        }
        info.accept("Pulling base image " + ref + " from the registry mirror");
        synchronized (platform) { // the loader's lock: a name is either the platform's or the mirror's at a time
            try {
                String id = mirror.pull(ref, scratch, timeLeft, cancellation);
                // the platform's image of that name is no longer what localhost/<name> holds: load it again
                if (platformName != null) platform.forget(platformName);
                info.accept("Pulled " + ref + " (image " + id.substring(0, 12) + ")");
            } catch (MirrorPuller.PullFailedException e) {
                if (e.cancelled) throw new BuildCancelledException(cancellation.reason());
                if (e.timedOut) throw new UnavailableException("Timed out pulling base image " + ref + " from the registry mirror.");
                throw new UnavailableException("Base image " + ref + " cannot be pulled from the registry mirror ("
                        + e.getMessage() + ")" + (platformName != null ? " and the platform has no such base image." : "."));
            }
        }
    }

    /** The platform name it may be, or null (a name too long for a platform image can still be the mirror's). */
    private static BaseImageName platformName(ImageReference ref) throws UnavailableException {
        try {
            return ref.platformName();
        } catch (BaseImageName.UnsupportedNameException e) {
            if (ref.isLocal()) throw new UnavailableException(e.getMessage());
            return null;
        }
    }

    /**
     * Names the worker gives its own images in the same storage (an app's build {@code localhost/app-<id>}, the
     * travelling layer cache): an image pulled under one would replace another app's.
     */
    private static boolean reserved(ImageReference ref) {
        String repo = ref.localRepository();
        return repo.startsWith("localhost/app-") || repo.equals("localhost/" + TravellingLayerCache.FOLDER);
    }
}

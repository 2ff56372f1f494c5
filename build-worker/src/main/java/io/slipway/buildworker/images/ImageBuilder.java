package io.slipway.buildworker.images;

import io.slipway.shared.images.ImagesClient;
import io.slipway.buildworker.WorkerConfig;
import io.slipway.buildworker.container.Cancellation;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.buildworker.run.BuildCancelledException;
import io.slipway.buildworker.run.BuildDirs;
import io.slipway.buildworker.run.BuildFailedException;
import io.slipway.buildworker.run.BuildLog;
import io.slipway.shared.builds.ClaimedBuild;
import io.slipway.shared.builds.ReleaseRef;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.sandbox.SandboxNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds an app's image with Buildah and reports it: provides the base images its {@code FROM} lines name (the
 * platform's first, else pulled from the registry mirror: {@link BaseImageSources}), runs
 * {@code buildah bud} on the unpacked source (the context is that directory only; the Dockerfile is the copy the
 * worker read), pushes the result to an OCI layout, uploads the blobs the store lacks and posts the image.
 *
 * <p>Each {@code RUN} runs in runc ({@code --isolation oci}) in the build sandbox's own network namespace
 * (outbound only, as buildpack compiles: {@code RUN apt-get}/{@code npm install} work, the platform and host do
 * not answer), or with no network at all when the worker has none, under the build's memory limit and, through
 * {@link BuildCgroup}, its pids limit. Layers stay in the worker's storage ({@code --layers}) for the app's next
 * build on this worker. A {@code heroku.yml} naming several Dockerfiles gets one image per distinct Dockerfile,
 * each built and checked the same way; a failure of any fails the build before anything is released.
 */
public final class ImageBuilder {
    private static final System.Logger LOG = System.getLogger(ImageBuilder.class.getName());
    private final WorkerConfig config;
    private final Buildah buildah;
    private final BaseImageLoader bases;
    private final BaseImageSources sources;
    private final ImagesClient client;
    private final SandboxNetwork network;
    private final TravellingLayerCache layerCache;
    /** Image builds running on this worker now: leftovers are only removed when no other build could own them. */
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    public ImageBuilder(WorkerConfig config, Buildah buildah, BaseImageLoader bases, ImagesClient client,
                        SandboxNetwork network, io.slipway.buildworker.cache.BuildCache objects, Path cacheMarkers) {
        this.layerCache = new TravellingLayerCache(buildah, objects, cacheMarkers);
        this.config = config;
        this.buildah = buildah;
        this.bases = bases;
        this.sources = new BaseImageSources(bases, config.registryMirror() == null ? null
                : new MirrorPuller(config.registryMirror(), config.caFile(), buildah));
        this.client = client;
        this.network = network;
    }

    public ReleaseRef build(ClaimedBuild build, ImagePlan plan, BuildDirs dirs, String commit, BuildLog log,
                            Cancellation cancellation) throws IOException, BuildFailedException, BuildCancelledException {
        Instant deadline = Instant.now().plus(config.timeoutFor(build.timeoutSeconds()));
        checkIgnoreFiles(dirs.build());
        // the primary Dockerfile first (every type without its own runs in it), then heroku.yml's others
        List<ImagePlan.Other> targets = new ArrayList<>();
        targets.add(new ImagePlan.Other(plan.dockerfilePath(), plan.dockerfile(), List.of()));
        targets.addAll(plan.others());
        List<Built> built = new ArrayList<>();
        // Dockerfiles of one heroku.yml often share a FROM: each image is loaded or pulled once per build
        Set<ImageReference> provided = new HashSet<>();
        for (int i = 0; i < targets.size(); i++) {
            ImagePlan.Other target = targets.get(i);
            log.header("Building Docker image from " + target.dockerfilePath()
                    + (i == 0 ? "" : " (" + String.join(", ", target.types()) + ")"));
            if (i == 0) plan.notes().forEach(log::info);
            loadBaseImages(target.dockerfile(), plan.buildArgs(), provided, dirs, deadline, log, cancellation);
            checkCancelled(cancellation);
            if (i == 0) layerCache.restore(build, dirs.scratch(), log::info);
            built.add(buildOne(build, plan.buildArgs(), target, i, dirs, deadline, log, cancellation));
        }

        log.header("Discovering process types");
        if (plan.processTypes().isEmpty()) {
            log.info("No run: entries or Procfile: web runs the image's command ("
                    + String.join(" ", built.get(0).image().config().defaultCommand()) + ")");
        } else {
            log.info("Declared types -> " + String.join(", ", plan.processTypes().keySet()));
        }
        log.header("Pushing image...");
        Map<String, ImageRef> processImages = new LinkedHashMap<>();
        for (int i = 0; i < built.size(); i++) {
            Built one = built.get(i);
            checkCancelled(cancellation);
            BlobUploads.Uploaded uploaded;
            try {
                uploaded = BlobUploads.upload(client, build.buildId(), one.layout(), one.image());
            } catch (io.slipway.shared.builds.LeaseLostException e) {
                throw e;
            } catch (IOException e) {
                throw failed(log, "Could not upload the image: " + e.getMessage());
            }
            log.info("Done: " + (built.size() == 1 ? "" : targets.get(i).dockerfilePath() + ": ")
                    + BaseImageLoader.human(one.image().layersSize()) + " in " + one.image().layers().size()
                    + " layers (" + uploaded.blobs() + " blobs uploaded, " + BaseImageLoader.human(uploaded.bytes()) + ")");
            TreeDelete.deleteOrThrow(one.layout());
            for (String type : targets.get(i).types()) processImages.put(type, one.image());
        }
        checkCancelled(cancellation);
        log.flush();
        ReleaseRef release = client.succeeded(build.buildId(),
                new ImagesClient.BuiltImage(built.get(0).image(), plan.processTypes(), commit, null, processImages));
        // after the result, off the push's path to serving: saving re-compresses every layer of the chains
        layerCache.save(build, built.stream().map(Built::tag).toList(), dirs.scratch(),
                warning -> LOG.log(System.Logger.Level.WARNING, "build {0}: {1}", build.buildId(), warning));
        return release;
    }

    /** One Dockerfile's image, built, pushed to an OCI layout in the scratch directory and checked. */
    private record Built(String tag, Path layout, ImageRef image) {}

    /** Provides the Dockerfile's base images that are not in {@code provided} yet, and adds them to it. */
    private void loadBaseImages(String dockerfileText, Map<String, String> buildArgs, Set<ImageReference> provided,
                                BuildDirs dirs, Instant deadline, BuildLog log, Cancellation cancellation) throws IOException, BuildFailedException, BuildCancelledException {
        List<ImageReference> baseImages;
        try {
            baseImages = FromLines.baseImages(dockerfileText, buildArgs);
        } catch (BaseImageName.UnsupportedNameException e) {
            throw failed(log, e.getMessage());
        }
        for (ImageReference base : baseImages) {
            if (!provided.add(base)) continue;
            checkCancelled(cancellation);
            try {
                sources.provide(base, dirs.scratch(), Duration.between(Instant.now(), deadline), log::info, cancellation);
            } catch (BaseImageSources.UnavailableException e) {
                throw failed(log, e.getMessage());
            } catch (io.slipway.shared.internalapi.InternalApiException e) {
                throw e; // the api-server's trouble, not the image's: an internal error, as for slugs
            } catch (IOException e) {
                throw failed(log, "Could not load base image " + base + ": " + e.getMessage());
            }
        }
    }

    private Built buildOne(ClaimedBuild build, Map<String, String> buildArgs, ImagePlan.Other target, int index,
                           BuildDirs dirs, Instant deadline, BuildLog log, Cancellation cancellation)
            throws IOException, BuildFailedException, BuildCancelledException {
        Path dockerfile = dirs.scratch().resolve(index == 0 ? "Dockerfile" : "Dockerfile-" + index);
        Files.writeString(dockerfile, target.dockerfile());
        String tag = "localhost/app-" + build.appId().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "")
                + (index == 0 ? "" : "-" + index) + ":latest";
        running.incrementAndGet();
        boolean ok = false;
        try {
            runBud(build, buildArgs, target.dockerfilePath(), dirs, dockerfile, tag, deadline, log, cancellation);
            ok = true;
        } finally {
            // a failed or killed step's container (and what it wrote) stays in the storage; with no other image
            // build running here it is safe to remove every working container (a full storage fails all builds)
            if (running.decrementAndGet() == 0 && !ok) buildah.removeContainers();
        }

        checkCancelled(cancellation);
        Path layout = dirs.scratch().resolve(index == 0 ? "image" : "image-" + index);
        TreeDelete.deleteOrThrow(layout);
        buildah.output(List.of("push", "--quiet", "--format", "oci", tag, "oci:" + layout), Duration.ofMinutes(30));
        ImageRef image;
        try {
            image = OciLayout.reuseBaseLayers(layout, OciLayout.read(layout), bases.baseLayers());
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw failed(log, "The built image could not be read: " + e.getMessage());
        }
        String which = index == 0 ? "" : target.dockerfilePath() + ": ";
        if (image.config().runsAsRoot()) throw failed(log, which + ImageConfig.ROOT_REFUSED);
        long maxBytes = config.maxSlugBytesFor(build.maxSlugBytes());
        for (var layer : image.layers()) {
            if (layer.size() > maxBytes) {
                throw failed(log, which + "Image layer " + layer.digest() + " is " + BaseImageLoader.human(layer.size())
                        + ", more than the largest allowed (" + BaseImageLoader.human(maxBytes) + ").");
            }
        }
        return new Built(tag, layout, image);
    }

    private void runBud(ClaimedBuild build, Map<String, String> buildArgs, String dockerfilePath, BuildDirs dirs,
                        Path dockerfile, String tag, Instant deadline, BuildLog log, Cancellation cancellation)
            throws IOException, BuildFailedException, BuildCancelledException {
        List<String> args = new ArrayList<>(List.of("bud", "--isolation", "oci", "--pull-never", "--layers",
                "--jobs", "1", "--force-rm", "--memory", (config.memoryLimitBytes() >> 20) + "m",
                "--memory-swap", (config.memoryLimitBytes() >> 20) + "m",
                "-f", dockerfile.toString(), "-t", tag));
        for (Map.Entry<String, String> arg : buildArgs.entrySet()) {
            args.add("--build-arg");
            args.add(arg.getKey() + "=" + arg.getValue());
        }
        String name = "slipway-img-" + build.buildId().replaceAll("[^A-Za-z0-9-]", "");
        SandboxNetwork.Lease lease = network == null ? null : network.attach(name);
        try (BuildCgroup cgroup = BuildCgroup.create(name, config.pidsLimit())) {
            args.addAll(List.of("--network", lease == null ? "none" : "ns:" + lease.netnsPath(),
                    "--cgroup-parent", cgroup.parentForBuildah()));
            args.add(dirs.build().toString()); // the context: the unpacked source, nothing else
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) throw failed(log, "Build timed out");
            Buildah.Outcome outcome = buildah.run(args, left, line -> log.info(line), cancellation, cgroup);
            if (outcome.cancelled()) throw new BuildCancelledException(cancellation.reason());
            if (outcome.timedOut()) {
                throw failed(log, "Timed out building the Docker image (" + describe(config.timeoutFor(build.timeoutSeconds())) + ")");
            }
            if (outcome.exitCode() != 0) {
                if (outcome.exitCode() == 137) {
                    log.error("The build was killed (exit 137): it may have gone over its memory limit of "
                            + (config.memoryLimitBytes() >> 20) + "M.");
                }
                throw failed(log, "Push rejected, failed to build the Docker image from " + dockerfilePath + ".");
            }
        } finally {
            if (lease != null) network.release(lease);
        }
    }

    /** Buildah reads these from the context as root: a link there could point it at a host file. */
    private static void checkIgnoreFiles(Path context) throws BuildFailedException {
        for (String name : List.of(".dockerignore", ".containerignore")) {
            Path file = context.resolve(name);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new BuildFailedException(name + " is not a regular file; it was not read");
            }
        }
    }

    private static String describe(Duration d) {
        long s = d.toSeconds();
        if (s % 60 == 0) return (s / 60) + (s == 60 ? " minute" : " minutes");
        return s + (s == 1 ? " second" : " seconds");
    }

    private static void checkCancelled(Cancellation cancellation) throws BuildCancelledException {
        if (cancellation.isCancelled()) throw new BuildCancelledException(cancellation.reason());
    }

    private static BuildFailedException failed(BuildLog log, String message) {
        log.error(message);
        return BuildFailedException.shown(message);
    }
}

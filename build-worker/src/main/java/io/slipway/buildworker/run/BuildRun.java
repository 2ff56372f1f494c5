package io.slipway.buildworker.run;

import io.slipway.buildworker.WorkerConfig;
import io.slipway.buildworker.buildpacks.Buildpack;
import io.slipway.buildworker.buildpacks.BuildpackResolver;
import io.slipway.buildworker.buildpacks.BuiltinBuildpacks;
import io.slipway.buildworker.cache.BuildCache;
import io.slipway.buildworker.claim.LeaseKeeper;
import io.slipway.buildworker.container.Cancellation;
import io.slipway.buildworker.container.RuncRunner;
import io.slipway.buildworker.container.Stacks;
import io.slipway.buildworker.images.DockerSelection;
import io.slipway.buildworker.images.ImageBuilder;
import io.slipway.buildworker.images.ImagePlan;
import io.slipway.buildworker.procfile.Procfile;
import io.slipway.buildworker.slug.SlugIgnore;
import io.slipway.buildworker.slug.SlugPacker;
import io.slipway.buildworker.source.SourceFetcher;
import io.slipway.shared.net.GuardedHttpClient;
import io.slipway.shared.builds.BuiltSlug;
import io.slipway.shared.builds.ClaimedBuild;
import io.slipway.shared.builds.InternalBuildsClient;
import io.slipway.shared.builds.LeaseLostException;
import io.slipway.shared.builds.ReleaseRef;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One build, from claim to result: source, cache, buildpacks (detect, compile, release, each in a runc
 * container), process types, slug, uploads, and the result the api-server turns into a release. Output goes to
 * the user as it happens, in Heroku's words. Never throws: every ending is a posted result, except a lost lease
 * (the api-server already moved on) and a worker stopping (the lease runs out and the build is retried).
 */
public final class BuildRun {
    private static final System.Logger LOG = System.getLogger(BuildRun.class.getName());
    public static final int BUILD_UID = 1000;
    public static final int BUILD_GID = 1000;
    private static final long MAX_UNPACKED_BYTES = 4L << 30;

    /** What every build on this worker shares. */
    public record Tools(WorkerConfig config, InternalBuildsClient client, RuncRunner runner,
                        BuiltinBuildpacks builtins, BuildpackResolver resolver, Stacks stacks,
                        GuardedHttpClient outbound, ImageBuilder images) {}

    private final ClaimedBuild build;
    private final Tools tools;
    private final Cancellation cancellation = new Cancellation();

    public BuildRun(ClaimedBuild build, Tools tools) {
        this.build = build;
        this.tools = tools;
    }

    public String buildId() {
        return build.buildId();
    }

    /** Stops the build (its container is killed); no result is posted. */
    public void cancel(String why) {
        cancellation.cancel(why);
    }

    public void run() {
        long started = System.nanoTime();
        String outcome = "failed";
        BuildDirs dirs = null;
        try (LeaseKeeper lease = LeaseKeeper.start(tools.client(), build.buildId(), build.leaseSeconds(),
                () -> cancellation.cancel("lease lost"));
             BuildLog log = new BuildLog(tools.client(), build.buildId(), () -> cancellation.cancel("lease lost"))) {
            try {
                dirs = BuildDirs.create(tools.config().buildRoot(), build.buildId(), tools.config().buildDiskBytes());
                ReleaseRef release = build(dirs, log);
                outcome = "succeeded v" + release.version();
                log.header("Launching...");
                log.info("Released v" + release.version());
            } catch (BuildFailedException e) {
                if (!e.isShown()) log.error(e.getMessage());
                // "Push rejected ... / Push failed" is the git-gateway's to say: a Builds API build is no push
                log.flush();
                if (!cancellation.isCancelled()) tools.client().failed(build.buildId(), e.getMessage());
            } catch (BuildCancelledException | LeaseLostException e) {
                outcome = "stopped (" + e.getMessage() + ")";
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "build " + build.buildId() + " failed in the worker", e);
                String message = "Build failed: internal error in the build worker (" + e.getMessage() + ")";
                log.error(message);
                log.flush();
                if (!cancellation.isCancelled()) tools.client().failed(build.buildId(), oneLine(message));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "build {0}: could not report the result: {1}", build.buildId(), e.getMessage());
        } finally {
            if (dirs != null) {
                try {
                    dirs.delete();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "build {0}: could not delete {1}", build.buildId(), dirs.root());
                }
            }
            LOG.log(Level.INFO, "build {0} of {1}: {2} in {3} s", build.buildId(), build.appName(), outcome,
                    (System.nanoTime() - started) / 1_000_000_000L);
        }
    }

    private ReleaseRef build(BuildDirs dirs, BuildLog log)
            throws IOException, BuildFailedException, BuildCancelledException {
        WorkerConfig config = tools.config();
        log.header("Building on the " + build.stack() + " stack");

        SourceFetcher fetcher = build.sourceFromPlatform()
                ? SourceFetcher.platform(tools.client().http(), config.maxDownloadBytes())
                : SourceFetcher.userGiven(tools.outbound(), config.maxDownloadBytes(), config.downloadTimeout());
        SourceFetcher.Source source = fetcher
                .fetch(build.sourceUrl(), build.sourceChecksum(), dirs.scratch(), dirs.build(), MAX_UNPACKED_BYTES);
        Optional<ImagePlan> image = DockerSelection.select(dirs.build(), build.stack(), !build.buildpacks().isEmpty());
        if (image.isPresent()) {
            if (tools.images() == null) {
                throw failed(log, "Dockerfile builds are not available on this build worker: Buildah is not "
                        + "installed (apt-get install buildah).");
            }
            return tools.images().build(build, image.get(), dirs, source.commit(), log, cancellation);
        }
        Path stackRoot = tools.stacks().rootFor(build.stack())
                .orElseThrow(() -> failed(log, "Unknown stack " + build.stack()));
        SlugIgnore.of(BuildFiles.read(dirs.build(), ".slugignore", ".slugignore")).removeFrom(dirs.build());
        // (before the build, as Heroku does)

        List<Buildpack> buildpacks = buildpacks(dirs, log);
        checkCancelled();
        new BuildCache(tools.client().http()).restore(build.cacheGetUrl(), dirs.scratch(), dirs.cache(),
                MAX_UNPACKED_BYTES, log::info);
        dirs.writeEnv(build.configVars());
        dirs.handOver(BUILD_UID, BUILD_GID);

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", "/tmp");
        env.put("LANG", "C.UTF-8");
        env.put("STACK", build.stack());
        if (source.commit() != null) env.put("SOURCE_VERSION", source.commit());
        BuildpackSteps steps = new BuildpackSteps(tools.runner(), dirs, stackRoot, buildpacks, env,
                "slipway-build-" + build.buildId(), config.memoryLimitBytes(), config.pidsLimit(), BUILD_UID,
                BUILD_GID, config.timeoutFor(build.timeoutSeconds()), log, cancellation);

        boolean auto = build.buildpacks().isEmpty();
        List<BuildpackSteps.Detected> detected;
        try {
            detected = steps.detect(auto);
        } catch (BuildpackSteps.NotCompatibleException e) {
            log.header(e.getMessage());
            throw BuildFailedException.shown(e.getMessage());
        }
        if (detected.isEmpty()) {
            log.error("No default language could be detected for this app.");
            log.info("HINT: This occurs when Slipway cannot detect the buildpack to use for this application "
                    + "automatically.");
            log.info("Built-in buildpacks, in detection order: Node.js (package.json), Java with Maven (pom.xml), "
                    + "Python (requirements.txt or pyproject.toml), static site (index.html), Procfile.");
            throw BuildFailedException.shown("No default language could be detected for this app.");
        }
        steps.compile(detected);
        Map<String, String> defaults = steps.releaseDefaults(detected);
        Map<String, String> processTypes = processTypes(dirs.build(), defaults, log);

        long maxSlug = config.maxSlugBytesFor(build.maxSlugBytes());
        log.header("Compressing...");
        SlugPacker.Slug slug = SlugPacker.pack(dirs.build(), dirs.scratch().resolve("slug.tgz"));
        if (slug.size() > maxSlug) {
            String message = SlugPacker.tooLarge(slug.size(), maxSlug);
            log.error(message);
            throw BuildFailedException.shown(message);
        }
        log.info("Done: " + SlugPacker.human(slug.size()));
        checkCancelled();
        try {
            SlugPacker.upload(tools.client().http(), build.slugPutUrl(), slug);
        } catch (IOException e) {
            throw failed(log, "Could not upload the slug: " + e.getMessage());
        }
        Files.deleteIfExists(slug.file());
        new BuildCache(tools.client().http()).save(build.cachePutUrl(), dirs.scratch(), dirs.cache(), log::info);
        checkCancelled();
        String description = detected.get(detected.size() - 1).name();
        log.flush(); // every line before the result: the api-server may end the output stream with it
        return tools.client().succeeded(build.buildId(), new BuiltSlug(slug.checksum(), slug.size(), processTypes,
                description, source.commit(), null));
    }

    /** The app's buildpacks, fetched; or every built-in, to detect among, when the app set none. */
    private List<Buildpack> buildpacks(BuildDirs dirs, BuildLog log) throws BuildFailedException {
        if (build.buildpacks().isEmpty()) {
            log.header("Determining which buildpack to use for this app");
            return tools.builtins().all();
        }
        if (build.buildpacks().size() == 1) {
            log.header("Using buildpack: " + BuildpackResolver.redact(build.buildpacks().get(0)));
        } else {
            log.header("Using buildpacks:");
            for (int i = 0; i < build.buildpacks().size(); i++) {
                log.info((i + 1) + ". " + BuildpackResolver.redact(build.buildpacks().get(i)));
            }
        }
        List<Buildpack> resolved = new java.util.ArrayList<>();
        for (int i = 0; i < build.buildpacks().size(); i++) {
            try {
                resolved.add(tools.resolver().resolve(build.buildpacks().get(i), dirs.buildpacks().resolve("" + i)));
            } catch (BuildpackResolver.BuildpackFetchException e) {
                throw failed(log, e.getMessage());
            }
        }
        return resolved;
    }

    /** The Procfile's types over the buildpacks' defaults, printed as Heroku does. */
    private static Map<String, String> processTypes(Path buildDir, Map<String, String> defaults, BuildLog log)
            throws IOException, BuildFailedException {
        log.header("Discovering process types");
        Optional<String> procfile = BuildFiles.read(buildDir, "Procfile", "Procfile");
        Map<String, String> declared = procfile.map(Procfile::parse).orElse(Map.of());
        if (procfile.isPresent() || defaults.isEmpty()) {
            log.info("Procfile declares types -> " + (declared.isEmpty() ? "(none)" : String.join(", ", declared.keySet())));
        }
        if (!defaults.isEmpty()) log.info("Default types for buildpack -> " + String.join(", ", defaults.keySet()));
        Map<String, String> types = new LinkedHashMap<>(defaults);
        types.putAll(declared);
        return types;
    }

    private void checkCancelled() throws BuildCancelledException {
        if (cancellation.isCancelled()) throw new BuildCancelledException(cancellation.reason());
    }

    private static BuildFailedException failed(BuildLog log, String message) {
        log.error(message);
        return BuildFailedException.shown(message);
    }

    private static String oneLine(String s) {
        String line = s.replace('\n', ' ').replace('\r', ' ');
        return line.length() > 500 ? line.substring(0, 500) : line;
    }
}

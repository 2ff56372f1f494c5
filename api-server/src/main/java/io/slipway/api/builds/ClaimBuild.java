package io.slipway.api.builds;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.images.ImageRepository;
import io.slipway.api.images.PresignImage;
import io.slipway.api.releases.Artifact;
import io.slipway.api.releases.ReleaseHeads;
import io.slipway.api.storage.ObjectKeys;
import io.slipway.api.storage.ObjectStorage;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /internal/builds/claim}: hands the oldest claimable build to a build-worker with a lease, and
 * everything the worker needs as presigned URLs (it holds no storage credentials).
 *
 * <p>Atomic: the row is taken with {@code FOR UPDATE SKIP LOCKED}, so two workers never get the same build.
 * Claims are also serialized by a transaction-scoped advisory lock: the "no other build of this app is
 * running" rule reads other rows, and two concurrent claims could otherwise each start a different build of
 * the same app. A claim is one short query, so the serialization costs nothing measurable.
 */
@Service
public class ClaimBuild {
    /** Arbitrary, fixed: the advisory lock id of build claims. */
    private static final long CLAIM_LOCK = 0x5_1170_B17DL;
    public static final int MAX_WORKER_ID_LENGTH = 200;
    private final BuildRepository builds;
    private final AppRepository apps;
    private final ObjectStorage storage;
    private final JdbcTemplate jdbc;
    private final ApiServerConfig.Builds settings;
    private final ReleaseHeads releases;
    private final ImageRepository images;
    private final PresignImage presignImage;

    public ClaimBuild(BuildRepository builds, AppRepository apps, ObjectStorage storage, JdbcTemplate jdbc,
                      ApiServerConfig config, ReleaseHeads releases, ImageRepository images,
                      PresignImage presignImage) {
        this.releases = releases;
        this.images = images;
        this.presignImage = presignImage;
        this.builds = builds;
        this.apps = apps;
        this.storage = storage;
        this.jdbc = jdbc;
        this.settings = config.builds();
    }

    public record Claimed(Build build, App app, Map<String, String> configVars, String cacheGetUrl, String cachePutUrl,
                          String slugPutUrl, int leaseSeconds, int timeoutSeconds, long maxSlugBytes,
                          Map<String, Object> previousImage) {}

    /** Empty when nothing is waiting. */
    @Transactional
    public Optional<Claimed> claim(String workerId) {
        if (workerId == null || workerId.isBlank() || workerId.length() > MAX_WORKER_ID_LENGTH || workerId.indexOf('\0') >= 0) {
            throw new InvalidInput("Missing or invalid `worker_id`: a non-empty string of at most "
                    + MAX_WORKER_ID_LENGTH + " characters.");
        }
        storage.requireAvailable();
        jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", CLAIM_LOCK);
        Optional<Build> next = builds.nextClaimable();
        if (next.isEmpty()) return Optional.empty();
        Build build = next.get();
        App app = apps.findById(build.appId()).orElseThrow();
        build.claim(workerId, Instant.now(), settings.leaseSeconds());
        String cache = ObjectKeys.cache(app.id());
        return Optional.of(new Claimed(build, app, app.configVars(), storage.presignGet(cache), storage.presignPut(cache),
                storage.presignPut(ObjectKeys.slug(app.id(), build.slugId())),
                settings.leaseSeconds(), settings.timeoutSeconds(), settings.maxSlugBytes(), previousImage(app)));
    }

    /** The current release's image with GET URLs (a cache source for a worker without local layers), or null. */
    private Map<String, Object> previousImage(App app) {
        return releases.currentArtifact(app.id())
                .map(Artifact::imageId)
                .flatMap(id -> images.findByIdAndAppId(id, app.id()))
                .map(presignImage::forBuilder)
                .orElse(null);
    }
}

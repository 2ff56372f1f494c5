package io.slipway.api.builds;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.buildpacks.BuildpackInstallationRepository;
import io.slipway.api.buildpacks.Buildpacks;
import io.slipway.api.buildpacks.ReplaceBuildpacks;
import io.slipway.api.events.EventLog;
import io.slipway.api.slugs.Texts;
import io.slipway.api.storage.Checksums;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.storage.OwnStoreUrls;
import io.slipway.api.outbound.UserUrls;
import io.slipway.api.limits.Quotas;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /apps/{app}/builds}: queues a build of the tarball at {@code source_blob.url} (any http(s) URL
 * the build-worker can GET; usually a {@code POST /sources} URL). The buildpacks are the request's, else the
 * app's buildpack installations at this moment, else none (the worker detects). A build of an app that already
 * has one pending waits for it: an app's builds run one at a time. {@code build.created} tells idle workers.
 */
@Service
public class CreateBuild {
    static final int MAX_URL_LENGTH = 8192;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final AppAccess access;
    private final BuildRepository builds;
    private final BuildpackInstallationRepository installations;
    private final ObjectStorage storage;
    private final EventLog events;
    private final OwnStoreUrls ownStore;
    private final UserUrls userUrls;
    private final Quotas quotas;

    public CreateBuild(AppAccess access, BuildRepository builds, BuildpackInstallationRepository installations,
                       ObjectStorage storage, EventLog events, OwnStoreUrls ownStore, UserUrls userUrls, Quotas quotas) {
        this.quotas = quotas;
        this.ownStore = ownStore;
        this.userUrls = userUrls;
        this.access = access;
        this.builds = builds;
        this.installations = installations;
        this.storage = storage;
        this.events = events;
    }

    /** {@code buildpacks} null: the app's own. */
    public record Request(Build.Source source, List<String> buildpacks) {}

    @Transactional
    public Build create(Caller caller, String appIdentity, Request request) {
        App app = access.visible(caller, appIdentity);
        Build.Source source = validSource(request.source());
        List<BuildpackList.Entry> buildpacks = request.buildpacks() == null ? installed(app) : resolve(request.buildpacks());
        // without a store the worker could not save the slug: refuse now rather than fail later
        storage.requireAvailable();
        quotas.requireBuildSlot(app);
        Build build = builds.save(new Build(app.id(), app.buildStack(), source, buildpacks, caller.accountId(), newToken()));
        events.append(EventTypes.BUILD_CREATED, app.id(), app.name(), Map.of("build_id", build.id().toString()));
        return build;
    }

    /** The checks of a {@code source_blob} (also used by {@code POST /app-setups} before it records one). */
    public Build.Source validSource(Build.Source s) {
        String url = s.url();
        if (url == null || url.isBlank()) throw new InvalidInput("Missing required param `source_blob.url`.");
        if (url.length() > MAX_URL_LENGTH) throw new InvalidInput("`source_blob.url` is too long.");
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) throw new URISyntaxException(url, "scheme");
        } catch (URISyntaxException e) {
            throw new InvalidInput("Invalid `source_blob.url`: expected an http or https URL of a gzipped tarball.");
        }
        // a user's URL must not lead inside the platform (the worker checks again when it downloads)
        if (!ownStore.isOwn(url)) userUrls.refuseInternal(URI.create(url), "`source_blob.url`");
        return new Build.Source(url,
                Texts.check("source_blob.version", s.version(), 256),
                Texts.check("source_blob.version_description", s.versionDescription(), Texts.DEFAULT_MAX),
                Checksums.normalize("source_blob.checksum", s.checksum()));
    }

    private List<BuildpackList.Entry> installed(App app) {
        return installations.findByAppIdOrderByOrdinal(app.id()).stream()
                .map(i -> new BuildpackList.Entry(i.url(), i.name())).toList();
    }

    private static List<BuildpackList.Entry> resolve(List<String> given) {
        if (given.size() > ReplaceBuildpacks.MAX_BUILDPACKS) {
            throw new InvalidInput("A build can use at most " + ReplaceBuildpacks.MAX_BUILDPACKS + " buildpacks.");
        }
        return given.stream().map(Buildpacks::resolve).map(r -> new BuildpackList.Entry(r.url(), r.name())).toList();
    }

    /** 256 random bits, URL-safe: the only credential of the build's output stream. */
    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

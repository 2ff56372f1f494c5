package io.slipway.api.builds.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.builds.Build;
import io.slipway.api.builds.BuildRepository;
import io.slipway.api.builds.CreateBuild;
import io.slipway.api.builds.PurgeBuildCache;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.identity.Identities;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Builds, as CI uses them without git: {@code POST /apps/{app}/builds} with a {@code source_blob.url}, then
 * follow {@code output_stream_url} and poll {@code GET /apps/{app}/builds/{id}}. Listings are ranged by
 * {@code created_at} (the default, oldest first), {@code id}, or {@code started_at} (Heroku's name for the
 * same order: a build starts when it is created, as far as the API is concerned).
 */
@RestController
public class BuildsController {
    /** Fixed width, so the text order of range keys is the time order. */
    private static final DateTimeFormatter RANGE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private final AppAccess access;
    private final CreateBuild createBuild;
    private final PurgeBuildCache purgeBuildCache;
    private final BuildRepository builds;
    private final AccountRepository accounts;
    private final ApiServerConfig config;
    private final ObjectMapper mapper;

    public BuildsController(AppAccess access, CreateBuild createBuild, PurgeBuildCache purgeBuildCache,
                            BuildRepository builds, AccountRepository accounts, ApiServerConfig config,
                            ObjectMapper mapper) {
        this.access = access;
        this.createBuild = createBuild;
        this.purgeBuildCache = purgeBuildCache;
        this.builds = builds;
        this.accounts = accounts;
        this.config = config;
        this.mapper = mapper;
    }

    /** {@code {"source_blob": {"url", "version"?, "version_description"?, "checksum"?}, "buildpacks"?: [{"url"} | {"name"}]}} */
    @PostMapping("/apps/{app}/builds")
    public ResponseEntity<BuildJson> create(Caller caller, @PathVariable String app,
                                            @RequestBody(required = false) String body) {
        access.visible(caller, app);
        JsonBody json = JsonBody.parse(mapper, body);
        JsonNode blob = json.node("source_blob");
        if (blob == null || blob.isNull()) throw ApiErrors.invalidParams("Missing required param `source_blob`.");
        if (!blob.isObject()) throw ApiErrors.invalidParams("Invalid `source_blob`: expected an object with a `url`.");
        Build.Source source = new Build.Source(text(blob, "url"), text(blob, "version"),
                text(blob, "version_description"), text(blob, "checksum"));
        Build build = createBuild.create(caller, app, new CreateBuild.Request(source, buildpacks(json.node("buildpacks"))));
        return ResponseEntity.status(HttpStatus.CREATED).body(present(build));
    }

    @GetMapping("/apps/{app}/builds")
    public ResponseEntity<List<BuildJson>> list(Caller caller, @PathVariable String app,
                                                @RequestHeader(value = "Range", required = false) String range) {
        App a = access.visible(caller, app);
        List<Build> all = builds.findByAppId(a.id());
        Map<UUID, Account> users = accounts.findAllById(all.stream().map(Build::userId).filter(Objects::nonNull)
                .distinct().toList()).stream().collect(Collectors.toMap(Account::id, Function.identity()));
        return Paged.of(all)
                .by("created_at", b -> RANGE_TIME.format(b.createdAt()))
                .by("id", b -> b.id().toString())
                .by("started_at", b -> RANGE_TIME.format(b.createdAt()))
                .respond(range, b -> BuildJson.of(b, b.userId() == null ? null : users.get(b.userId()), outputUrl(b)));
    }

    @GetMapping("/apps/{app}/builds/{build}")
    public BuildJson info(Caller caller, @PathVariable String app, @PathVariable String build) {
        App a = access.visible(caller, app);
        UUID id = Identities.uuidOrNull(build);
        Build b = id == null ? null : builds.findByIdAndAppId(id, a.id()).orElse(null);
        if (b == null) throw ApiErrors.notFound("build", build);
        return present(b);
    }

    /** Answers 202 with {@code {}}: the purge is done, but its effect shows with the next build. */
    @DeleteMapping("/apps/{app}/build-cache")
    public ResponseEntity<Map<String, Object>> purgeCache(Caller caller, @PathVariable String app) {
        purgeBuildCache.purge(caller, app);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of());
    }

    private BuildJson present(Build b) {
        Account user = b.userId() == null ? null : accounts.findById(b.userId()).orElse(null);
        return BuildJson.of(b, user, outputUrl(b));
    }

    private String outputUrl(Build b) {
        return config.publicOrigin() + BuildOutputController.PATH_PREFIX + b.id() + "/" + b.outputToken();
    }

    private static String text(JsonNode blob, String field) {
        JsonNode n = blob.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isString()) throw ApiErrors.invalidParams("Invalid `source_blob." + field + "`: expected a string.");
        return n.asString();
    }

    /** Heroku's {@code [{"url": "..."}]}; {@code {"name": "heroku/nodejs"}} and plain strings are taken too. */
    private static List<String> buildpacks(JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (!node.isArray()) throw ApiErrors.invalidParams("Invalid `buildpacks`: expected an array of {\"url\": ...}.");
        List<String> out = new ArrayList<>();
        for (JsonNode b : node) {
            if (b.isString()) {
                out.add(b.asString());
            } else if (b.isObject() && b.path("url").isString()) {
                out.add(b.get("url").asString());
            } else if (b.isObject() && b.path("name").isString()) {
                out.add(b.get("name").asString());
            } else {
                throw ApiErrors.invalidParams("Invalid `buildpacks`: each entry needs a `url` (or `name`) string.");
            }
        }
        return out;
    }
}

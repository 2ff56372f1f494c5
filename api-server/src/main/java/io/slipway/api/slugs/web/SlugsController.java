package io.slipway.api.slugs.web;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.slugs.CreateSlug;
import io.slipway.api.slugs.FindSlug;
import io.slipway.api.slugs.ProcessTypes;
import io.slipway.api.slugs.Slug;
import io.slipway.api.slugs.Texts;
import io.slipway.api.storage.Checksums;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** Slugs: create one to upload (then release it with {@code POST /apps/{app}/releases}), or look one up. */
@RestController
public class SlugsController {
    private final AppAccess access;
    private final CreateSlug createSlug;
    private final FindSlug findSlug;
    private final ObjectStorage storage;
    private final ObjectMapper mapper;

    public SlugsController(AppAccess access, CreateSlug createSlug, FindSlug findSlug, ObjectStorage storage,
                           ObjectMapper mapper) {
        this.access = access;
        this.createSlug = createSlug;
        this.findSlug = findSlug;
        this.storage = storage;
        this.mapper = mapper;
    }

    /** {@code {"process_types": {...}, "checksum"?, "commit"?, "commit_description"?, "buildpack_provided_description"?, "stack"?}} */
    @PostMapping("/apps/{app}/slugs")
    public ResponseEntity<SlugJson> create(Caller caller, @PathVariable String app,
                                           @RequestBody(required = false) String body) {
        access.visible(caller, app);
        JsonBody json = JsonBody.parse(mapper, body);
        if (json.node("process_types") == null || json.isNull("process_types")) {
            throw ApiErrors.invalidParams("Missing required param `process_types`.");
        }
        Slug.Description description = new Slug.Description(
                ProcessTypes.parse("process_types", json.node("process_types")),
                Checksums.normalize("checksum", json.optString("checksum")),
                json.optIdentity("stack", "name", "id"),
                Texts.check("buildpack_provided_description", json.optString("buildpack_provided_description"), 256),
                Texts.check("commit", json.optString("commit"), 256),
                Texts.check("commit_description", json.optString("commit_description"), Texts.DEFAULT_MAX));
        CreateSlug.Created created = createSlug.create(caller, app, description);
        return ResponseEntity.status(HttpStatus.CREATED).body(SlugJson.of(created.slug(), "PUT", created.putUrl()));
    }

    @GetMapping("/apps/{app}/slugs/{slug}")
    public SlugJson info(Caller caller, @PathVariable String app, @PathVariable String slug) {
        App a = access.visible(caller, app);
        Slug s = findSlug.of(a, slug);
        return SlugJson.of(s, "GET", storage.presignGet(s.objectKey()));
    }
}

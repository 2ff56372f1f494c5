package io.slipway.api.volumes.web;

import io.slipway.api.volumes.AddVolume;
import io.slipway.api.volumes.AppVolumes;
import io.slipway.api.volumes.Volume;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * Slipway's API for volumes (Dokku-alt's habit; Heroku has none): {@code POST /apps/{app}/volumes}
 * {@code {"name": "storage", "process_type": "web", "mount_path": "/app/storage", "size_mb": 1024}}, list, show
 * and remove by id or name. See docs/volumes.md.
 */
@RestController
public class VolumesController {
    private final AppVolumes appVolumes;
    private final AddVolume addVolume;
    private final ObjectMapper mapper;

    public VolumesController(AppVolumes appVolumes, AddVolume addVolume, ObjectMapper mapper) {
        this.appVolumes = appVolumes;
        this.addVolume = addVolume;
        this.mapper = mapper;
    }

    @GetMapping("/apps/{app}/volumes")
    public ResponseEntity<List<VolumeJson>> list(Caller caller, @PathVariable String app,
                                                 @RequestHeader(value = "Range", required = false) String range) {
        AppVolumes.Listed listed = appVolumes.list(caller, app);
        return Paged.of(listed.volumes())
                .by("id", v -> v.id().toString())
                .by("name", Volume::name)
                .respond(range, v -> VolumeJson.of(v, listed.app()));
    }

    @PostMapping("/apps/{app}/volumes")
    public ResponseEntity<VolumeJson> add(Caller caller, @PathVariable String app,
                                          @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        AddVolume.Added added = addVolume.add(caller, app, new AddVolume.Request(json.requireString("name"),
                json.requireString("process_type"), json.requireString("mount_path"), sizeMb(json)));
        return ResponseEntity.status(HttpStatus.CREATED).body(VolumeJson.of(added.volume(), added.app()));
    }

    /** Required; a whole number of MiB (range checked by the use case). */
    private static Integer sizeMb(JsonBody json) {
        var n = json.node("size_mb");
        if (n == null || n.isNull()) throw ApiErrors.invalidParams("Missing required param `size_mb`.");
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiErrors.invalidParams("Invalid `size_mb`: expected a whole number of MiB.");
        }
        return n.asInt();
    }

    @GetMapping("/apps/{app}/volumes/{volume}")
    public VolumeJson info(Caller caller, @PathVariable String app, @PathVariable String volume) {
        AppVolumes.Found found = appVolumes.find(caller, app, volume);
        return VolumeJson.of(found.volume(), found.app());
    }

    @DeleteMapping("/apps/{app}/volumes/{volume}")
    public VolumeJson remove(Caller caller, @PathVariable String app, @PathVariable String volume) {
        AppVolumes.Found removed = appVolumes.remove(caller, app, volume);
        return VolumeJson.of(removed.volume(), removed.app());
    }
}

package io.slipway.api.volumes.web;

import io.slipway.api.volumes.VolumeRepository;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalApi;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Internal API for the dyno-agents: whether a volume still exists. An agent keeps a volume's data while its
 * dynos come and go (a deploy, a restart); it deletes its copy only once this answers 404. Only existence is
 * told: the volume's app and size already reached that agent with an assignment.
 */
@RestController
@InternalApi(ComponentRole.AGENT)
public class InternalVolumesController {
    private final VolumeRepository volumes;

    public InternalVolumesController(VolumeRepository volumes) {
        this.volumes = volumes;
    }

    @GetMapping("/internal/volumes/{id}")
    public Map<String, Object> exists(@PathVariable String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiErrors.notFound("volume", id);
        }
        if (!volumes.existsById(uuid)) throw ApiErrors.notFound("volume", id);
        return Map.of("id", uuid);
    }
}

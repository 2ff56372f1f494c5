package io.slipway.api.agents;

import java.util.Map;
import java.util.UUID;

/**
 * One dyno an agent should run, as {@code GET /internal/agents/{id}/assignments} spells it (snake_case). A dyno of
 * an image release has {@code slug} null and {@code image} set (the JSON of {@code io.slipway.shared.images.ImageRef}
 * with GET URLs); {@code command} null then means "exec the image's entrypoint + cmd".
 */
public record Assignment(UUID dynoId, UUID appId, String appName, String name, String type, String command,
                         String size, int memoryMb, int maxPids, UUID releaseId, Integer releaseVersion,
                         SlugRef slug, Map<String, Object> image, Map<String, String> env, String desiredState, int restartGeneration,
                         boolean oneOff, Attach attach, java.util.List<VolumeRef> volumes) {

    /** A volume the dyno mounts: the agent keeps one copy per volume id, of at most {@code sizeMb}. */
    public record VolumeRef(UUID id, String path, int sizeMb) {}

    public record SlugRef(UUID id, String url, String checksum) {}

    public record Attach(String host, int port, String secret, boolean tty) {}

    public record Assignments(long seq, java.util.List<Assignment> dynos) {}
}

package io.slipway.shared.agents;

import io.slipway.shared.images.ImageRef;
import io.slipway.shared.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One dyno the api-server wants on this agent, as {@code GET /internal/agents/{id}/assignments} lists it.
 *
 * @param desiredState {@code up} or {@code stopped} (stopped: drain, SIGTERM, report {@code down})
 * @param restartGeneration grows on {@code ps:restart}: the process is restarted (same dyno id)
 * @param oneOff a {@code run.N} dyno: never restarted, reported {@code down} with its exit code
 * @param attach where to connect for {@code heroku run}, or null (detached, or a formation dyno)
 * @param image the OCI image an image release's dyno runs (its {@code slug} is null), or null; its
 *        {@code command} is null when the dyno runs the image's own {@code entrypoint + cmd}
 */
public record Assignment(
        String dynoId,
        UUID appId,
        String appName,
        String name,
        String type,
        String command,
        String size,
        int memoryMb,
        int maxPids,
        String releaseId,
        long releaseVersion,
        Slug slug,
        Map<String, String> env,
        String desiredState,
        long restartGeneration,
        boolean oneOff,
        Attach attach,
        List<Volume> volumes,
        ImageRef image) {

    /** A volume to bind at {@code path}: one copy per {@code id} on this agent, at most {@code sizeMb}. */
    public record Volume(String id, String path, int sizeMb) {}

    /** @param checksum {@code SHA256:<hex>}, or null when the build did not record one */
    public record Slug(String id, String url, String checksum) {}

    public record Attach(String host, int port, String secret, boolean tty) {}

    public boolean wantsUp() {
        return "up".equals(desiredState);
    }

    /** What the dyno runs, for its log: the command, or the image's own default command. */
    public String displayCommand() {
        if (command != null || image == null) return command;
        return String.join(" ", image.config().defaultCommand());
    }

    public boolean isWeb() {
        return "web".equals(type);
    }

    public static Assignment parse(Map<String, Object> m) {
        Map<String, Object> slug = Json.object(m.get("slug"));
        Map<String, String> env = new LinkedHashMap<>();
        Json.object(m.get("env")).forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
        Attach attach = null;
        if (m.get("attach") instanceof Map<?, ?>) {
            Map<String, Object> a = Json.object(m.get("attach"));
            attach = new Attach(str(a.get("host")), (int) num(a.get("port")), str(a.get("secret")),
                    Boolean.TRUE.equals(a.get("tty")));
        }
        String name = str(m.get("name"));
        String type = str(m.get("type"));
        if (type == null && name != null) type = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        String appId = str(m.get("app_id"));
        List<Volume> volumes = new ArrayList<>();
        for (Object o : Json.array(m.get("volumes"))) {
            Map<String, Object> v = Json.object(o);
            volumes.add(new Volume(str(v.get("id")), str(v.get("path")), (int) num(v.get("size_mb"))));
        }
        return new Assignment(
                str(m.get("dyno_id")),
                appId == null ? null : UUID.fromString(appId),
                str(m.get("app_name")),
                name,
                type,
                str(m.get("command")),
                str(m.get("size")),
                (int) num(m.get("memory_mb")),
                (int) num(m.get("max_pids")),
                str(m.get("release_id")),
                num(m.get("release_version")),
                slug.isEmpty() ? null : new Slug(str(slug.get("id")), str(slug.get("url")), str(slug.get("checksum"))),
                env,
                m.get("desired_state") == null ? "up" : str(m.get("desired_state")),
                num(m.get("restart_generation")),
                Boolean.TRUE.equals(m.get("one_off")),
                attach,
                List.copyOf(volumes),
                m.get("image") instanceof Map<?, ?> ? ImageRef.parse(m.get("image")) : null);
    }

    private static String str(Object v) {
        return v == null ? null : String.valueOf(v);
    }

    private static long num(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }
}

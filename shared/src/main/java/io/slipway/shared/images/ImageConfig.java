package io.slipway.shared.images;

import io.slipway.shared.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the platform keeps of an OCI image's {@code config} object: who the process runs as, its environment,
 * working directory and default command. Lists are null when the image does not set them.
 *
 * @param user {@code uid[:gid]} or a user name from the image's {@code /etc/passwd}, or null (root)
 * @param env {@code K=V} entries, in the image's order
 */
public record ImageConfig(String user, List<String> env, String workingDir, List<String> entrypoint,
                          List<String> cmd) {

    public static final String ROOT_REFUSED =
            "Images must not run as root: add a USER instruction with a non-root user to your Dockerfile.";

    public ImageConfig {
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
    }

    /**
     * True when the user is root by its name or number ({@code null}, empty, {@code root}, {@code 0},
     * {@code 0:<gid>}, {@code root:<gid>}). A name that only resolves to uid 0 inside the image is caught by the
     * dyno-agent, which reads the image's {@code /etc/passwd}.
     */
    public boolean runsAsRoot() {
        if (user == null || user.isBlank()) return true;
        String who = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        return who.isBlank() || who.equals("root") || who.matches("0+");
    }

    /** The default command of the image: entrypoint followed by cmd (empty when the image sets neither). */
    public List<String> defaultCommand() {
        List<String> all = new ArrayList<>();
        if (entrypoint != null) all.addAll(entrypoint);
        if (cmd != null) all.addAll(cmd);
        return all;
    }

    public static ImageConfig parse(Object json) {
        Map<String, Object> m = Json.object(json);
        return new ImageConfig(ImageLayer.str(m.get("user")), strings(m.get("env")),
                ImageLayer.str(m.get("working_dir")), m.get("entrypoint") == null ? null : strings(m.get("entrypoint")),
                m.get("cmd") == null ? null : strings(m.get("cmd")));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", user);
        m.put("env", env);
        m.put("working_dir", workingDir);
        m.put("entrypoint", entrypoint);
        m.put("cmd", cmd);
        return m;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        for (Object o : Json.array(v)) out.add(String.valueOf(o));
        return out;
    }
}

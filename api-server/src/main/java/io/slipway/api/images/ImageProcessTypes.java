package io.slipway.api.images;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.formation.DefineProcessTypes;
import io.slipway.shared.images.ImageConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process types an image release runs. Those the build declared (heroku.yml {@code run}, a Procfile) run as
 * {@code /bin/sh -c <command>} inside the image; {@code web}, unless declared, runs the image's own entrypoint +
 * cmd (as with heroku.yml, whose {@code run} may name only workers), and the formation shows that command (the
 * agent gets {@code command: null} and execs it as the image says). An image with neither is refused.
 */
public final class ImageProcessTypes {
    public static final String NO_COMMAND = "The image has no command: add a CMD or ENTRYPOINT to your Dockerfile, "
            + "or process types (heroku.yml run:).";

    private ImageProcessTypes() {}

    /** What the formation follows. Throws {@link InvalidInput} when nothing could run. */
    public static Map<String, String> of(Map<String, String> declared, ImageConfig config) {
        return of(declared, config, Map.of());
    }

    /**
     * As above, for an image whose build made other images too (heroku.yml naming several Dockerfiles):
     * {@code typeConfigs} are the configs of the images other types run in. Such a type without a declared
     * command runs its own image's entrypoint + cmd, as web does; without one either, nothing could run it.
     */
    public static Map<String, String> of(Map<String, String> declared, ImageConfig config,
                                         Map<String, ImageConfig> typeConfigs) {
        Map<String, String> types = new LinkedHashMap<>();
        List<String> command = typeConfigs.getOrDefault("web", config).defaultCommand();
        if (!declared.containsKey("web") && !command.isEmpty()) types.put("web", display(command));
        for (Map.Entry<String, ImageConfig> other : typeConfigs.entrySet()) {
            String type = other.getKey();
            if (declared.containsKey(type) || type.equals("web") || type.equals(DefineProcessTypes.RELEASE_PHASE)) continue;
            List<String> own = other.getValue().defaultCommand();
            if (own.isEmpty()) {
                throw new InvalidInput("The image of " + type + " has no command: add a CMD or ENTRYPOINT to its "
                        + "Dockerfile, or a command for it (heroku.yml run:).");
            }
            types.put(type, display(own));
        }
        types.putAll(declared);
        boolean runnable = types.keySet().stream().anyMatch(t -> !t.equals(DefineProcessTypes.RELEASE_PHASE));
        if (!runnable) throw new InvalidInput(NO_COMMAND);
        return types;
    }

    /** True when a dyno of {@code type} runs the image's default command (no declared command of its own). */
    public static boolean runsDefaultCommand(Image image, String type) {
        return !image.processTypes().containsKey(type);
    }

    /** The argv as a shell would read it back: words with spaces or quotes in single quotes. */
    static String display(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (!sb.isEmpty()) sb.append(' ');
            if (!a.isEmpty() && a.matches("[A-Za-z0-9_@%+=:,./-]+")) sb.append(a);
            else sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }
}

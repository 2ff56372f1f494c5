package io.slipway.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code slipway volumes[:add|:remove] --app APP}: an app's volumes, directories below {@code /app} that survive
 * deploys, restarts and rollbacks (docs/volumes.md). The stock heroku CLI has no such command; this one calls
 * {@code /apps/{app}/volumes} with the user's own credentials, as {@link DeployKeysCommand} does.
 */
public final class VolumesCommand {
    static final String HELP = """
              volumes --app APP       List the app's volumes
              volumes:add NAME --app APP --type TYPE --path /app/DIR --size-mb N
                                      Keep /app/DIR of every TYPE dyno across deploys, restarts and rollbacks
                                      (host-local: see docs/volumes.md); the type's dynos restart to get it
              volumes:remove NAME --app APP
                                      Delete a volume and its data on every agent (no undo)
            """;

    private VolumesCommand() {}

    public static int run(String command, List<String> argv, Map<String, String> env, PrintStream out) {
        Args args = Args.parse(argv, Set.of("app", "type", "path", "size-mb", "data-dir"), Set.of());
        String app = args.option("app", null);
        if (app == null) throw new UsageException(command + " needs --app APP.");
        PublicApiClient api = PublicApiClient.fromEnvironment(env,
                Path.of(args.option("data-dir", LauncherConfig.defaultDataDir().toString())));
        String volumes = "/apps/" + PublicApiClient.segment(app) + "/volumes";
        switch (command) {
            case "volumes" -> {
                if (!args.positionals().isEmpty()) throw new UsageException("volumes takes no arguments.");
                JsonNode list = api.call("GET", volumes, null);
                if (list.isEmpty()) out.println(app + " has no volumes.");
                for (JsonNode v : list) out.println(line(v));
            }
            case "volumes:add" -> {
                if (args.positionals().size() != 1) throw new UsageException("volumes:add takes one NAME.");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", args.positionals().get(0));
                body.put("process_type", required(args, "type"));
                body.put("mount_path", required(args, "path"));
                body.put("size_mb", args.intOption("size-mb", 0));
                out.println("Added volume " + line(api.call("POST", volumes, body)));
            }
            case "volumes:remove" -> {
                if (args.positionals().size() != 1) throw new UsageException("volumes:remove takes one NAME.");
                JsonNode removed = api.call("DELETE", volumes + "/" + PublicApiClient.segment(args.positionals().get(0)), null);
                out.println("Removed volume " + line(removed));
            }
            default -> throw new UsageException("Unknown command: " + command);
        }
        return 0;
    }

    private static String required(Args args, String option) {
        String v = args.option(option, null);
        if (v == null) throw new UsageException("volumes:add needs --" + option + ".");
        return v;
    }

    private static String line(JsonNode v) {
        return v.path("name").asString() + "  " + v.path("process_type").asString() + ":" + v.path("mount_path").asString()
                + "  " + v.path("size_mb").asInt() + " MB  (" + v.path("app").path("name").asString() + ")";
    }
}

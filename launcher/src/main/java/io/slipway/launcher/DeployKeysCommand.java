package io.slipway.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code slipway deploy-keys[:add|:remove] --app APP}: an app's deploy keys, SSH keys that may {@code git push}
 * to that one app and nothing else (docs/git-gateway.md). The stock heroku CLI has no such command; this one
 * calls {@code /apps/{app}/deploy-keys} with the user's own credentials.
 */
public final class DeployKeysCommand {
    static final String HELP = """
              deploy-keys --app APP   List the app's deploy keys (SSH keys that may push to that app only)
              deploy-keys:add FILE --app APP [--name NAME]
                                      Add the OpenSSH public key in FILE (e.g. ci_key.pub) as a deploy key
              deploy-keys:remove KEY --app APP
                                      Remove a deploy key (by name, id or fingerprint); it stops working at once
                  (these use the heroku CLI's credentials: HEROKU_API_KEY or ~/.netrc, and HEROKU_HOST; without
                  HEROKU_HOST, the platform `slipway up` runs on --data-dir DIR)
            """;

    private DeployKeysCommand() {}

    public static int run(String command, List<String> argv, Map<String, String> env, PrintStream out) {
        Args args = Args.parse(argv, Set.of("app", "name", "data-dir"), Set.of());
        String app = args.option("app", null);
        if (app == null) throw new UsageException(command + " needs --app APP.");
        PublicApiClient api = PublicApiClient.fromEnvironment(env,
                Path.of(args.option("data-dir", LauncherConfig.defaultDataDir().toString())));
        String keys = "/apps/" + PublicApiClient.segment(app) + "/deploy-keys";
        switch (command) {
            case "deploy-keys" -> {
                if (!args.positionals().isEmpty()) throw new UsageException("deploy-keys takes no arguments.");
                JsonNode list = api.call("GET", keys, null);
                if (list.isEmpty()) out.println(app + " has no deploy keys.");
                for (JsonNode k : list) out.println(line(k));
            }
            case "deploy-keys:add" -> {
                if (args.positionals().size() != 1) throw new UsageException("deploy-keys:add takes one public key FILE.");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("public_key", read(Path.of(args.positionals().get(0))));
                String name = args.option("name", null);
                if (name != null) body.put("name", name);
                out.println("Added deploy key " + line(api.call("POST", keys, body)));
            }
            case "deploy-keys:remove" -> {
                if (args.positionals().size() != 1) throw new UsageException("deploy-keys:remove takes one KEY.");
                JsonNode removed = api.call("DELETE", keys + "/" + PublicApiClient.segment(args.positionals().get(0)), null);
                out.println("Removed deploy key " + line(removed));
            }
            default -> throw new UsageException("Unknown command: " + command);
        }
        return 0;
    }

    private static String line(JsonNode k) {
        return k.path("name").asString() + "  " + k.path("fingerprint").asString() + "  (" + k.path("app").path("name").asString() + ")";
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > 64 * 1024) throw new IllegalStateException(file + " is not a public key file (too large).");
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

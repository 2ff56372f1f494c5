package io.slipway.launcher;

import java.nio.file.Path;

/**
 * {@code <data-dir>/env.sh}: {@code source} it and the stock heroku CLI and git talk to this platform.
 * The CLI sends the token only to 127.0.0.1/localhost or Heroku's domains, and its side-channel
 * ("particleboard") gets the same token, so HEROKU_PARTICLEBOARD_URL must point here too; telemetry and update
 * checks are switched off. TLS trust is added for this origin only and verification is never disabled:
 * node reads NODE_EXTRA_CA_CERTS, git gets {@code http.<origin>/.sslCAInfo} through GIT_CONFIG_COUNT
 * (git 2.31+), which applies to URLs under that origin only (checked with git 2.39: a request to
 * https://localhost:PORT is still refused). GIT_SSL_CAINFO would override it, hence the {@code case} at the end.
 * The data commands ({@code pg:*}) send to {@code HEROKU_DATA_HOST} as a host name with the port of HEROKU_HOST
 * (the CLI's http client takes only the name from it), and the api-server serves Heroku's data API too.
 */
public final class EnvFile {
    private static final String SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

    private EnvFile() {}

    public static String render(Path envFile, String origin, String apiKey, Path caCert) {
        String ca = caCert.toAbsolutePath().toString();
        return "# Written by `slipway up` on every start. Use it with: source " + shellQuote(envFile.toString()) + "\n"
                + export("HEROKU_HOST", origin)
                + export("HEROKU_API_KEY", apiKey)
                + export("HEROKU_PARTICLEBOARD_URL", origin)
                + "# the data commands (pg:*) go to this host at HEROKU_HOST's port: a host name only, a port here breaks them\n"
                + export("HEROKU_DATA_HOST", java.net.URI.create(origin).getHost())
                + export("NODE_EXTRA_CA_CERTS", ca)
                + export("DISABLE_TELEMETRY", "true")
                + export("HEROKU_SKIP_ANALYTICS", "1")
                + export("HEROKU_SKIP_NEW_VERSION_CHECK", "true")
                + export("HEROKU_DISABLE_AUTOUPDATE", "1")
                + export("HEROKU_NOTIFICATIONS", "0")
                + "# git: trust the platform's CA for this origin only (replaces any GIT_CONFIG_COUNT of your own)\n"
                + export("GIT_CONFIG_COUNT", "1")
                + export("GIT_CONFIG_KEY_0", "http." + origin + "/.sslCAInfo")
                + export("GIT_CONFIG_VALUE_0", ca)
                + "# GIT_SSL_CAINFO, when set, overrides every http.sslCAInfo, the per-URL one above included. Naming the\n"
                + "# system bundle it only restates git's default, so it is dropped; any other value is reported.\n"
                + "case \"${GIT_SSL_CAINFO:-}\" in\n"
                + "  ''|" + SYSTEM_BUNDLE + ") unset GIT_SSL_CAINFO ;;\n"
                + "  *) echo \"env.sh: GIT_SSL_CAINFO=$GIT_SSL_CAINFO keeps git from trusting \"" + shellQuote(ca)
                + "\"; unset it to push to " + origin + "\" >&2 ;;\n"
                + "esac\n";
    }

    public static void write(DataDir dir, String origin, String apiKey, Path caCert) {
        PrivateFiles.write(dir.envFile(), render(dir.envFile(), origin, apiKey, caCert));
    }

    private static String export(String name, String value) {
        return "export " + name + "=" + shellQuote(value) + "\n";
    }

    /** Single quotes, with embedded ones closed, escaped and reopened: safe for any path. */
    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}

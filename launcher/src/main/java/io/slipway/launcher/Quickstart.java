package io.slipway.launcher;

/** What {@code slipway up} prints once the platform serves: how to use it, where the data is, how to stop. */
public final class Quickstart {
    private Quickstart() {}

    public static String text(Platform p) {
        DataDir d = p.dataDir();
        String env = EnvFile.shellQuote(d.envFile().toString());
        return "\n"
                + "Slipway is running at " + p.config().publicUrl()
                + (p.firstRun() ? "  (first run: administrator " + p.adminEmail() + " created)" : "") + "\n"
                + "\n"
                + "  Use it with the stock Heroku CLI, from any shell on this machine:\n"
                + "    source " + env + "\n"
                + "    heroku apps:create demo\n"
                + "    git push heroku main\n"
                + "    curl http://demo.localhost:" + p.routerPort() + "/\n"
                + "\n"
                + "  Apps answer at:  http://<app>.localhost:" + p.routerPort() + "/  (the router)\n"
                + "                   https://<app>.localhost:" + p.routerTlsPort() + "/  (HTTPS, HTTP/2; the local CA's"
                + " wildcard, or the app's own certificate for its custom domains)\n"
                + "  Add users:       ./slipway users:create alice@example.com [--admin] [--data-dir " + d.root() + "]\n"
                + "  Admin secrets:   " + d.secrets() + "  (admin-password, admin-api-key)\n"
                + "  CA certificate:  " + p.tls().caCert() + "\n"
                + "  Data:            " + d.root() + "  (PostgreSQL, objects, keys; kept between runs)\n"
                + "  Stop:            Ctrl-C (running `slipway up` again resumes with the same data)\n";
    }
}

package io.slipway.launcher.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code cluster down} and {@code status} (and a test after a crash) need to find a cluster again:
 * its layout and the front door's ports on 127.0.0.1, in {@code cluster.properties}.
 */
public record ClusterState(ClusterLayout layout, int apiPort, int sshPort, int appsPort, int appsTlsPort) {

    static Optional<ClusterState> read(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        ClusterLayout layout = new ClusterLayout(p.getProperty("id"), p.getProperty("prefix"),
                Integer.parseInt(p.getProperty("agents")));
        return Optional.of(new ClusterState(layout, Integer.parseInt(p.getProperty("api-port")),
                Integer.parseInt(p.getProperty("ssh-port")), Integer.parseInt(p.getProperty("apps-port")),
                // a cluster written before the apps' HTTPS port existed has none (0)
                Integer.parseInt(p.getProperty("apps-tls-port", "0"))));
    }

    void write(Path file) {
        Properties p = new Properties();
        p.setProperty("id", layout.id());
        p.setProperty("prefix", layout.prefix());
        p.setProperty("agents", String.valueOf(layout.agents()));
        p.setProperty("api-port", String.valueOf(apiPort));
        p.setProperty("ssh-port", String.valueOf(sshPort));
        p.setProperty("apps-port", String.valueOf(appsPort));
        p.setProperty("apps-tls-port", String.valueOf(appsTlsPort));
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "./slipway cluster: this cluster's names and front-door ports");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public String apiUrl() { return "https://127.0.0.1:" + apiPort; }
    public String appsUrl(String app) { return "http://" + app + ".localhost:" + appsPort + "/"; }
    public String appsTlsUrl(String app) { return "https://" + app + ".localhost:" + appsTlsPort + "/"; }
}

package io.slipway.launcher.cluster;

import io.slipway.shared.http.CaTrust;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Whether each component answers: the checks {@code cluster up} waits on, polled until a deadline. */
final class Readiness {
    private final HttpClient https;

    Readiness(Path caCert) {
        this.https = HttpClient.newBuilder().sslContext(CaTrust.sslContext(caCert))
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Polls {@code check} until it holds; {@code failed} says why waiting is pointless (a process died). */
    static void await(String what, Duration timeout, BooleanSupplier check, java.util.function.Supplier<String> failed) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.getAsBoolean()) {
            String failure = failed.get();
            if (failure != null) throw new IllegalStateException(what + ": " + failure);
            if (System.nanoTime() > deadline) throw new IllegalStateException(what + ": not ready after " + timeout.toSeconds() + " s");
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    static boolean tcpOpen(String address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code GET https://<address>:<port>/health} is 200 (the api-server reaches its database), CA verified. */
    boolean healthy(String address, int port) {
        try {
            HttpResponse<Void> r = https.send(HttpRequest.newBuilder(URI.create("https://" + address + ":" + port + "/health"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The agent registered (or heartbeated) since {@code since} and is live, as the platform's own database says. */
    static boolean agentLive(String jdbcUrl, String user, String password, String agentId, java.time.Instant since) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement s = c.prepareStatement(
                     "SELECT 1 FROM agents WHERE id = ? AND state = 'live' AND last_heartbeat_at >= ?")) {
            s.setString(1, agentId);
            s.setTimestamp(2, java.sql.Timestamp.from(since));
            return s.executeQuery().next();
        } catch (SQLException e) {
            return false;
        }
    }

    static boolean logSays(Path log, String text) {
        try {
            return Files.isRegularFile(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}

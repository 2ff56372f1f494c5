package io.slipway.acceptance;

import io.slipway.shared.http.CaTrust;
import io.slipway.launcher.cluster.Cluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link ClusterFaultsTest}'s faults share: the cluster, the stock CLI, the app under load, the measurements
 * table, and the conditions the faults wait on (dynos up, no release pending, the latest build's status). Kept
 * apart so the test class reads as the list of faults.
 */
final class ClusterFaultBench {
    static final Duration CONVERGE = Duration.ofSeconds(240);
    /** The balancer's backends that lead to an api-server replica. */
    private static final List<String> API_BACKENDS = List.of("api", "internal", "rendezvous");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    final Cluster cluster;
    final HerokuCli cli;
    final String app;
    final int web;
    final Map<String, String> results = new LinkedHashMap<>();
    LoadGenerator load;
    private HttpClient http;

    ClusterFaultBench(Cluster cluster, HerokuCli cli, String app, int web) {
        this.cluster = cluster;
        this.cli = cli;
        this.app = app;
        this.web = web;
    }

    /** Every new connection through the balancer, the CLI's and the platform's hosts', goes to {@code replica}. */
    void onlyThrough(String replica) {
        for (String other : List.of("api-1", "api-2")) {
            if (other.equals(replica)) continue;
            for (String backend : API_BACKENDS) cluster.balancer("set server " + backend + "/" + other + " state drain");
        }
    }

    /** Undoes {@link #onlyThrough}: every replica takes new connections again. */
    void everyReplicaReady() {
        for (String replica : List.of("api-1", "api-2")) {
            for (String backend : API_BACKENDS) cluster.balancer("set server " + backend + "/" + replica + " state ready");
        }
    }

    void record(String fault, long t0, long t1, String detail) {
        long failed = load.failures(t0, t1);
        String line = String.format("%.1f s %s; %d failed of %d requests in that window%s", (t1 - t0) / 1000.0, detail,
                failed, load.total(t0, t1), failed > 0 ? " " + load.reasons(t0, t1) : "");
        results.put(fault, line);
        System.out.println("FAULT " + fault + ": " + line);
        try { // as it comes, so a run cut short still tells what it measured
            Path out = Path.of("target", "cluster-faults.log");
            Files.createDirectories(out.getParent());
            Files.writeString(out, Instant.now() + " " + fault + ": " + line + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("cannot write target/cluster-faults.log: " + e);
        }
    }

    /** The measurements as a Markdown table, printed and kept in target/cluster-faults.md. */
    void writeResults() throws IOException {
        if (results.isEmpty()) return;
        StringBuilder b = new StringBuilder("| fault | measured |\n|---|---|\n");
        results.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        System.out.println("Faults on the cluster:\n" + b);
        Path out = Path.of("target", "cluster-faults.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, b.toString());
    }

    /** A CLI command whose failure is an answer, not an exception (for conditions polled through an outage). */
    HerokuCli.Result run(String... args) {
        try {
            return cli.run(args);
        } catch (Exception e) {
            return new HerokuCli.Result(1, "", e.toString());
        }
    }

    long upCount() {
        HerokuCli.Result ps = run("ps", "-a", app);
        return ps.exitCode() != 0 ? -1 : ps.stdout().lines().filter(l -> l.matches("web\\.\\d+: up .*")).count();
    }

    /** Whether any one-off dyno ({@code run.N}) of the app is listed. */
    boolean anyOneOffDyno() {
        HerokuCli.Result ps = run("ps", "-a", app);
        return ps.exitCode() != 0 || ps.stdout().lines().anyMatch(l -> l.startsWith("run."));
    }

    /** The ps lines of the web dynos without the "(~ 2m ago)" part: unchanged when no dyno restarted. */
    String upSince() {
        return run("ps", "-a", app).stdout().lines().filter(l -> l.startsWith("web."))
                .map(l -> l.replaceAll("\\s*\\(~.*\\)$", "")).sorted().reduce("", (a, b) -> a + b + "\n");
    }

    void awaitAllWebUp(String when) throws Exception {
        awaitTrue(web + " web dynos up " + when, () -> upCount() == web);
    }

    /** Every web dyno up and on release {@code version} (the Platform API's dyno list, through the balancer). */
    void awaitAllWebOn(int version) throws Exception {
        awaitTrue(web + " web dynos up on v" + version, () -> {
            String body = platformGet("/apps/" + app + "/dynos", null);
            if (body.isEmpty()) return false;
            long onIt = 0;
            for (JsonNode d : JSON.readTree(body)) {
                if (d.path("type").asText().equals("web") && d.path("state").asText().equals("up")
                        && d.path("release").path("version").asInt() == version) onIt++;
            }
            return onIt == web;
        });
    }

    /** The app's releases, oldest first. */
    JsonNode releases() {
        String body = platformGet("/apps/" + app + "/releases", null);
        return body.isEmpty() ? JSON.createArrayNode() : JSON.readTree(body);
    }

    String latestBuildStatus() {
        String body = platformGet("/apps/" + app + "/builds", "created_at ..; order=desc, max=1");
        return body.isEmpty() ? "" : JSON.readTree(body).path(0).path("status").asText();
    }

    /** A Platform API read as the administrator; "" when it cannot be had (a fault may be under way). */
    String platformGet(String path, String range) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path))
                    .header("Accept", "application/vnd.heroku+json; version=3")
                    .header("Authorization", "Bearer " + cluster.adminApiKey()).GET();
            if (range != null) r.header("Range", range);
            HttpResponse<String> answer = http().send(r.build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() / 100 == 2 ? answer.body() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** One client for every poll, trusting the cluster's CA (built on first use: the CA exists once the cluster is up). */
    private HttpClient http() throws Exception {
        if (http == null) http = HttpClient.newBuilder().sslContext(CaTrust.sslContext(cluster.caCert())).build();
        return http;
    }

    /** How many builds of this app the host's build-worker has claimed so far (its log). */
    long claims(String host) {
        try {
            return Files.readAllLines(cluster.dir().resolve("logs").resolve(host + ".build-worker.log")).stream()
                    .filter(l -> l.contains("claimed build") && l.contains(app)).count();
        } catch (Exception e) {
            return 0;
        }
    }

    void awaitNoPendingRelease() throws Exception {
        awaitTrue("every release succeeded or failed", () -> {
            HerokuCli.Result r = run("releases", "-a", app, "--json");
            return r.exitCode() == 0 && !r.stdout().contains("\"pending\"");
        });
    }

    static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(1_000);
        }
        throw new AssertionError(what + " within " + CONVERGE);
    }

    /**
     * {@code git push heroku main}, pushed again while the gateway answers "Another push ... is in progress" (a cut
     * push's gateway side, or a dead gateway's push lock, still holds the app), for up to {@code within}.
     */
    HerokuCli.Result pushUntilNoOtherIsInProgress(Path repo, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HerokuCli.Result pushed;
        do {
            pushed = cli.git(repo, "push", "heroku", "main");
            if (pushed.exitCode() == 0 || !pushed.output().contains("Another push")) break;
            Thread.sleep(1_000);
        } while (System.nanoTime() < deadline);
        return pushed;
    }

    /** {@code git push heroku main} on another thread, so a fault can hit it midway. */
    CompletableFuture<HerokuCli.Result> pushInBackground(Path repo) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cli.git(repo, "push", "heroku", "main");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}

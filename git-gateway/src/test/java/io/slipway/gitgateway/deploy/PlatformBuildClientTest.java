package io.slipway.gitgateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.gitgateway.api.ApiClient;
import io.slipway.shared.gitaccess.Access;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real build client against a stand-in of Heroku's public Sources/Builds/Releases API (the shapes from
 * Heroku's schema): what it sends, in which order, with which token, and how it reads the answers.
 */
class PlatformBuildClientTest {
    private static final String TOKEN = "HRKU-push-token";
    private static final String APP_ID = "01234567-89ab-cdef-0123-456789abcdef";
    @TempDir
    Path dir;
    private HttpServer server;
    private String base;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<byte[]> uploaded = new AtomicReference<>();
    private final AtomicReference<Map<String, Object>> buildBody = new AtomicReference<>();
    private final AtomicInteger polls = new AtomicInteger();
    private volatile String finalStatus = "succeeded";
    private volatile int sourcesStatus = 201;
    /** how many times the output stream answers 404 before it exists (a build still queued) */
    private final AtomicInteger streamMissing = new AtomicInteger();
    /** null: release r7 has no release phase; else the status r7 ends with after being pending */
    private volatile String releasePhaseEnds;
    private final AtomicInteger releaseReads = new AtomicInteger();
    /** how many reads of r7 find it still pending (0: its release phase ended before the gateway looked) */
    private volatile int releasePendingReads = 1;
    private volatile boolean releaseCurrent = true;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        requests.add(method + " " + path + " " + ex.getRequestHeaders().getFirst("Authorization"));
        byte[] body = ex.getRequestBody().readAllBytes();
        switch (method + " " + path) {
            case "POST /sources" -> {
                if (sourcesStatus != 201) {
                    json(ex, sourcesStatus, "{\"id\":\"not_found\",\"message\":\"The requested API endpoint was not found.\"}");
                    return;
                }
                json(ex, 201, "{\"source_blob\":{\"get_url\":\"" + base + "/blob/1?sig=get\",\"put_url\":\"" + base + "/blob/1?sig=put\"}}");
            }
            case "PUT /blob/1" -> {
                uploaded.set(body);
                ex.sendResponseHeaders(200, -1);
                ex.close();
            }
            case "POST /apps/" + APP_ID + "/builds" -> {
                buildBody.set(Json.parseObject(new String(body, StandardCharsets.UTF_8)));
                json(ex, 201, "{\"id\":\"b1\",\"status\":\"pending\",\"output_stream_url\":\"" + base
                        + "/streams/b1\",\"release\":null,\"source_blob\":{}}");
            }
            case "GET /streams/b1" -> {
                if (streamMissing.getAndDecrement() > 0) {
                    json(ex, 404, "{\"id\":\"not_found\",\"message\":\"not yet\"}");
                    return;
                }
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    for (String line : List.of("-----> Building on the heroku-24 stack", "-----> Go app detected", "       go build ./...")) {
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            }
            case "GET /apps/" + APP_ID + "/builds/b1" -> {
                String status = polls.incrementAndGet() < 2 ? "pending" : finalStatus;
                String release = status.equals("succeeded") ? "{\"id\":\"r7\"}" : "null";
                json(ex, 200, "{\"id\":\"b1\",\"status\":\"" + status + "\",\"release\":" + release + "}");
            }
            case "GET /apps/" + APP_ID + "/releases/r7" -> {
                if (releasePhaseEnds == null) {
                    json(ex, 200, "{\"id\":\"r7\",\"version\":7}");
                } else {
                    String status = releaseReads.getAndIncrement() < releasePendingReads ? "pending" : releasePhaseEnds;
                    boolean current = !status.equals("pending") && status.equals("succeeded") && releaseCurrent;
                    json(ex, 200, "{\"id\":\"r7\",\"version\":7,\"status\":\"" + status + "\",\"current\":" + current
                            + ",\"output_stream_url\":\"" + base + "/release-output/r7/tok\"}");
                }
            }
            case "GET /release-output/r7/tok" -> {
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write("Migrating...\n".getBytes(StandardCharsets.UTF_8));
                }
            }
            default -> json(ex, 404, "{\"id\":\"not_found\",\"message\":\"no\"}");
        }
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private BuildClient.Result build(List<String> output) throws Exception {
        Path archive = dir.resolve("source.tgz");
        Files.write(archive, new byte[] {31, -117, 8, 0, 1, 2, 3});
        ApiClient api = new ApiClient(URI.create(base), HttpClient.newHttpClient());
        Access access = new Access("acc", "alice@example.com", APP_ID, "demo", "heroku-24", "http://demo.localhost/",
                TOKEN, "tok-id");
        return new PlatformBuildClient(api).build(new BuildClient.Request(access, archive, "abc123"), output::add);
    }

    @Test
    void uploadsTheSourceCreatesTheBuildStreamsItsOutputAndFindsTheRelease() throws Exception {
        List<String> output = new CopyOnWriteArrayList<>();
        BuildClient.Result result = build(output);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.buildId()).isEqualTo("b1");
        assertThat(result.releaseVersion()).isEqualTo(7);
        assertThat(output).containsExactly("-----> Building on the heroku-24 stack", "-----> Go app detected", "       go build ./...");
        assertThat(uploaded.get()).containsExactly(31, -117, 8, 0, 1, 2, 3);
        assertThat(Json.object(buildBody.get().get("source_blob")))
                .containsEntry("url", base + "/blob/1?sig=get").containsEntry("version", "abc123");
        assertThat(requests).startsWith("POST /sources Bearer " + TOKEN, "PUT /blob/1 null",
                "POST /apps/" + APP_ID + "/builds Bearer " + TOKEN,
                // the stream is on the API's origin here, so it gets the token; a presigned URL elsewhere would not
                "GET /streams/b1 Bearer " + TOKEN);
        assertThat(requests).contains("GET /apps/" + APP_ID + "/releases/r7 Bearer " + TOKEN);
        assertThat(polls.get()).isEqualTo(2);
    }

    @Test
    void aPendingReleaseShowsItsReleasePhaseAndWaitsForItsStatus() throws Exception {
        releasePhaseEnds = "succeeded";
        List<String> output = new CopyOnWriteArrayList<>();
        BuildClient.Result result = build(output);
        assertThat(result.succeeded()).isTrue();
        assertThat(output).containsSubsequence("Running release command...", "Migrating...",
                "Waiting for release.... done.");
    }

    /** A short release phase may be over before the gateway first reads the release: its output is shown anyway. */
    @ParameterizedTest
    @CsvSource({"succeeded, done.", "failed, failed."})
    void aReleasePhaseThatEndedBeforeTheGatewayLookedIsShownAllTheSame(String ends, String verdict) throws Exception {
        releasePhaseEnds = ends;
        releasePendingReads = 0;
        List<String> output = new CopyOnWriteArrayList<>();
        BuildClient.Result result = build(output);
        assertThat(result.status()).isEqualTo(ends.equals("succeeded") ? BuildClient.Status.SUCCEEDED
                : BuildClient.Status.RELEASE_FAILED);
        assertThat(output).containsSubsequence("Running release command...", "Migrating...",
                "Waiting for release.... " + verdict);
    }

    @Test
    void aReleaseThatPassedButWasOvertakenByANewerOneSaysSo() throws Exception {
        releasePhaseEnds = "succeeded";
        releaseCurrent = false;
        List<String> output = new CopyOnWriteArrayList<>();
        assertThat(build(output).succeeded()).isTrue();
        assertThat(output).anyMatch(l -> l.contains("a newer release went live meanwhile"));
    }

    @Test
    void aFailedReleasePhaseFailsTheDeploy() throws Exception {
        releasePhaseEnds = "failed";
        List<String> output = new CopyOnWriteArrayList<>();
        BuildClient.Result result = build(output);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.status()).isEqualTo(BuildClient.Status.RELEASE_FAILED);
        assertThat(result.releaseVersion()).isEqualTo(7);
        assertThat(result.message()).startsWith("Release command failed");
        assertThat(output).containsSubsequence("Running release command...", "Migrating...",
                "Waiting for release.... failed.");
    }

    @Test
    void anOutputStreamThatAppearsLateIsStillFollowed() throws Exception {
        streamMissing.set(3);
        List<String> output = new CopyOnWriteArrayList<>();
        BuildClient.Result result = build(output);
        assertThat(result.succeeded()).isTrue();
        assertThat(output).hasSize(3);
        assertThat(requests.stream().filter(r -> r.startsWith("GET /streams/b1"))).hasSize(4);
    }

    @Test
    void aFailedBuildIsReportedAsFailed() throws Exception {
        finalStatus = "failed";
        BuildClient.Result result = build(new CopyOnWriteArrayList<>());
        assertThat(result.succeeded()).isFalse();
        assertThat(result.releaseVersion()).isNull();
    }

    @Test
    void aMissingBuildsApiFailsThePushWithTheReason() throws Exception {
        sourcesStatus = 404;
        BuildClient.Result result = build(new CopyOnWriteArrayList<>());
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).isEqualTo("Could not upload the source: The requested API endpoint was not found.");
    }
}

package io.slipway.api.builds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.FakeBuildWorker;
import io.slipway.api.support.Response;
import io.slipway.api.support.StorageApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the build tests share: a fake build-worker speaking the internal contract over HTTP, and a stream reader. */
abstract class BuildApiTestSupport extends StorageApiTest {
    static final String WORKER = "test-worker";

    /** Uploads {@code tarball} through {@code POST /sources} and returns its GET URL. */
    String source(User user, byte[] tarball) {
        JsonNode blob = call("POST", "/sources").as(user).send().expect(201).json().path("source_blob");
        assertThat(upload(blob.path("put_url").asText(), tarball)).isEqualTo(200);
        return blob.path("get_url").asText();
    }

    Response createBuild(User user, String app, String body) {
        return call("POST", "/apps/" + app + "/builds").as(user).json(body).send();
    }

    JsonNode build(User user, String app, String id) {
        return call("GET", "/apps/" + app + "/builds/" + id).as(user).send().expect(200).matches("build").json();
    }

    Response claim(String worker) {
        return worker("POST", "/internal/builds/claim").json("{\"worker_id\":\"" + worker + "\"}").send();
    }

    /** This test's build-worker (claims with {@link #WORKER}). */
    final FakeBuildWorker buildWorker = new FakeBuildWorker(this, WORKER);

    JsonNode claimOwn(String buildId) {
        return buildWorker.claimOwn(buildId);
    }

    void drainQueue() {
        buildWorker.drainQueue();
    }

    Response result(String buildId, String json) {
        return buildWorker.result(buildId, json);
    }

    void failBuild(String buildId, String message) {
        buildWorker.failBuild(buildId, message);
    }

    Response output(String buildId, String text) {
        return worker("POST", "/internal/builds/" + buildId + "/output").json(text)
                .header("Content-Type", "text/plain; charset=utf-8").send();
    }

    static String succeeded(long size, String processTypes) {
        return FakeBuildWorker.succeeded(size, processTypes);
    }

    static String sha256(byte[] bytes) {
        try {
            return "SHA256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Reads an output stream on its own thread, as a client (or the git-gateway) follows a running build. */
    final class OutputReader implements AutoCloseable {
        final HttpResponse<InputStream> response;
        private final StringBuffer text = new StringBuffer();
        private final CountDownLatch ended = new CountDownLatch(1);
        private final Thread thread;

        OutputReader(String outputStreamUrl) {
            try {
                response = HTTP.send(HttpRequest.newBuilder(URI.create(local(outputStreamUrl)))
                        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            thread = new Thread(this::read, "output-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void read() {
            byte[] buffer = new byte[8192];
            // decode whole responses only at the end would hide the incremental arrival; decode per read, keeping
            // multi-byte characters intact by collecting bytes first
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (InputStream in = response.body()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    bytes.write(buffer, 0, n);
                    text.setLength(0);
                    text.append(bytes.toString(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                text.append("\n[read failed: ").append(e).append("]");
            } finally {
                ended.countDown();
            }
        }

        String text() {
            return text.toString();
        }

        void awaitText(String expected) {
            await("\"" + expected.strip() + "\" in the output stream (got: " + text() + ")", () -> text().contains(expected));
        }

        boolean ended() {
            return ended.getCount() == 0;
        }

        void awaitEnd() throws InterruptedException {
            assertThat(ended.await(20, TimeUnit.SECONDS)).as("the output stream ends (got: %s)", text()).isTrue();
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}

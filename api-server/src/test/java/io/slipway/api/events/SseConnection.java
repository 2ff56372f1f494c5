package io.slipway.api.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Test helper: a raw {@code text/event-stream} reader, independent of the shared client, so the server's
 * wire format itself is what the tests see. Lines arrive on the HTTP client's threads into a queue.
 */
final class SseConnection implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String END = "\u0000end";

    record Frame(String id, String event, String data) {
        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }
    }

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse.ResponseInfo> info = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private int comments;

    static SseConnection open(String url, Map<String, String> headers) {
        SseConnection c = new SseConnection();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        HTTP.sendAsync(request.GET().build(), responseInfo -> {
            c.info.complete(responseInfo);
            return HttpResponse.BodySubscribers.fromLineSubscriber(c.new Lines(), s -> null, StandardCharsets.UTF_8, null);
        }).whenComplete((r, e) -> {
            if (e != null) c.info.completeExceptionally(e);
            c.lines.add(END);
        });
        return c;
    }

    int status() throws Exception {
        return info.get(20, TimeUnit.SECONDS).statusCode();
    }

    String header(String name) throws Exception {
        return info.get(20, TimeUnit.SECONDS).headers().firstValue(name).orElse(null);
    }

    /** How many comment lines ({@code :...}) were read so far. */
    int comments() {
        return comments;
    }

    /** The next frame with data, or an AssertionError after {@code timeout}. */
    Frame next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String id = null;
        String event = null;
        StringBuilder data = null;
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) throw new AssertionError("no event within " + timeout);
            if (line.equals(END)) throw new AssertionError("stream ended");
            if (line.isEmpty()) {
                if (data != null) return new Frame(id, event, data.toString());
                continue;
            }
            if (line.startsWith(":")) {
                comments++;
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { }
            }
        }
    }

    /** Skips frames until one matches (other apps' events may be interleaved). */
    Frame next(Predicate<Frame> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame f = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (wanted.test(f)) return f;
        }
    }

    /** Waits until at least {@code n} comments arrived, reading (and dropping) frames meanwhile. */
    boolean awaitComments(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (comments < n) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) return false;
            if (line.startsWith(":")) comments++;
        }
        return true;
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
    }

    private final class Lines implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            lines.add(line);
        }

        @Override
        public void onError(Throwable t) {
            lines.add(END);
        }

        @Override
        public void onComplete() {
            lines.add(END);
        }
    }
}

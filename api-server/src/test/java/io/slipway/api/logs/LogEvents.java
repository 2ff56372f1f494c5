package io.slipway.api.logs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: reads a {@code text/event-stream} the way the CLI's eventsource does (id and data lines, comments
 * skipped), either whole ({@link #readAll}) or as it arrives ({@link #open}).
 */
final class LogEvents implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final String END = "\u0000end";

    record Event(long id, String data) {}

    record Whole(int status, String contentType, String body, List<Event> events) {}

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse.ResponseInfo> info = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    static Whole readAll(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "text/event-stream");
        headers.forEach(r::header);
        HttpResponse<String> response = HTTP.send(r.GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Whole(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.body(), parse(List.of(response.body().split("\n", -1))));
    }

    static List<Event> parse(List<String> raw) {
        List<Event> out = new ArrayList<>();
        Long id = null;
        StringBuilder data = null;
        for (String line : raw) {
            if (line.isEmpty()) {
                if (data != null) out.add(new Event(id == null ? -1 : id, data.toString()));
                id = null;
                data = null;
            } else if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4));
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
            }
        }
        return out;
    }

    static LogEvents open(String url, Map<String, String> headers) {
        LogEvents c = new LogEvents();
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

    /** The next event, or an AssertionError after the timeout. */
    Event next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> block = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) throw new AssertionError("no log event within " + timeout);
            if (line.equals(END)) throw new AssertionError("the stream ended");
            block.add(line);
            if (line.isEmpty()) {
                List<Event> events = parse(block);
                block.clear();
                if (!events.isEmpty()) return events.get(0);
            }
        }
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

package io.slipway.api.support;

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

/**
 * Test helper: a {@code text/event-stream} response read line by line as it arrives, for the event stream's and
 * the logs' own readers ({@code SseConnection}, {@code LogEvents}), which parse the lines their way.
 */
public final class StreamedLines implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** Stands for the stream's end in the queue: no line of a text stream holds a NUL. */
    private static final String END = "\u0000end";

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse.ResponseInfo> info = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    private StreamedLines() {}

    /** A GET of {@code url} asking for {@code text/event-stream}, read in the background. */
    public static StreamedLines open(String url, Map<String, String> headers) {
        StreamedLines s = new StreamedLines();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        HTTP.sendAsync(request.GET().build(), responseInfo -> {
            s.info.complete(responseInfo);
            return HttpResponse.BodySubscribers.fromLineSubscriber(s.new Lines(), x -> null, StandardCharsets.UTF_8,
                    null);
        }).whenComplete((r, e) -> {
            if (e != null) s.info.completeExceptionally(e);
            s.lines.add(END);
        });
        return s;
    }

    public int status() throws Exception {
        return info.get(20, TimeUnit.SECONDS).statusCode();
    }

    public String header(String name) throws Exception {
        return info.get(20, TimeUnit.SECONDS).headers().firstValue(name).orElse(null);
    }

    /**
     * The next line, waiting until {@code deadline} ({@link System#nanoTime()}): null when none came by then.
     *
     * @throws StreamEnded when the stream ended instead
     */
    public String next(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
        if (END.equals(line)) {
            lines.add(END); // every later call sees the end too
            throw new StreamEnded();
        }
        return line;
    }

    /** The stream ended (the server closed it, or the request failed). */
    public static final class StreamEnded extends AssertionError {
        StreamEnded() {
            super("the stream ended");
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

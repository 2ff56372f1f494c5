package io.slipway.api.logs;

import io.slipway.api.support.StreamedLines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test helper: reads a {@code text/event-stream} the way the CLI's eventsource does (id and data lines, comments
 * skipped), either whole ({@link #readAll}) or as it arrives ({@link #open}).
 */
final class LogEvents implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    record Event(long id, String data) {}

    record Whole(int status, String contentType, String body, List<Event> events) {}

    private final StreamedLines lines;

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

    private LogEvents(StreamedLines lines) {
        this.lines = lines;
    }

    static LogEvents open(String url, Map<String, String> headers) {
        return new LogEvents(StreamedLines.open(url, headers));
    }

    int status() throws Exception {
        return lines.status();
    }

    /** The next event, or an AssertionError after the timeout. */
    Event next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> block = new ArrayList<>();
        while (true) {
            String line = lines.next(deadline);
            if (line == null) throw new AssertionError("no log event within " + timeout);
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
        lines.close();
    }
}

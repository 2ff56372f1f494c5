package io.slipway.api.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.api.support.StreamedLines;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Test helper: a raw {@code text/event-stream} reader, independent of the shared client, so the server's
 * wire format itself is what the tests see ({@link StreamedLines} reads the lines as they arrive).
 */
final class SseConnection implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Frame(String id, String event, String data) {
        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }
    }

    private final StreamedLines lines;
    private int comments;

    private SseConnection(StreamedLines lines) {
        this.lines = lines;
    }

    static SseConnection open(String url, Map<String, String> headers) {
        return new SseConnection(StreamedLines.open(url, headers));
    }

    int status() throws Exception {
        return lines.status();
    }

    String header(String name) throws Exception {
        return lines.header(name);
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
            String line = lines.next(deadline);
            if (line == null) throw new AssertionError("no event within " + timeout);
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
            String line;
            try {
                line = lines.next(deadline);
            } catch (StreamedLines.StreamEnded e) {
                return false;
            }
            if (line == null) return false;
            if (line.startsWith(":")) comments++;
        }
        return true;
    }

    @Override
    public void close() {
        lines.close();
    }
}

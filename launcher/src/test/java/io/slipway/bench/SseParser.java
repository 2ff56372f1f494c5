package io.slipway.bench;

import java.util.function.Consumer;

/**
 * Turns the lines of a {@code text/event-stream} body into messages, as an EventSource does: {@code id:},
 * {@code event:} and {@code data:} fields (one optional space after the colon), comments ({@code :...}) skipped,
 * a blank line ends a message. The simulated agents read {@code /internal/events} with it.
 */
final class SseParser {
    record Message(String id, String event, String data) {}

    private final Consumer<Message> sink;
    private String id;
    private String event;
    private StringBuilder data;

    SseParser(Consumer<Message> sink) {
        this.sink = sink;
    }

    void line(String line) {
        if (line.isEmpty()) {
            if (data != null) sink.accept(new Message(id, event == null ? "message" : event, data.toString()));
            data = null;
            event = null;
            return;
        }
        if (line.charAt(0) == ':') return;
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> {
                if (data == null) data = new StringBuilder(value);
                else data.append('\n').append(value);
            }
            default -> { } // retry: and unknown fields are ignored
        }
    }

    /** The id of the last message (the resume point, like an EventSource's Last-Event-ID). */
    String lastId() {
        return id;
    }
}

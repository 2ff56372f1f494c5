package io.slipway.shared.events;

/**
 * Turns the lines of a {@code text/event-stream} into frames, as the HTML living standard describes:
 * {@code field: value} lines (one optional space after the colon), {@code :comment} lines ignored,
 * {@code data} lines joined with newlines, a blank line ending the frame. Frames without data are dropped.
 */
final class SseParser {
    record Frame(String id, String event, String data) {}

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String event;
    private String id;

    /** Feeds one line (without its terminator); returns a frame when this line completed one. */
    Frame line(String line) {
        if (line.isEmpty()) return dispatch();
        if (line.charAt(0) == ':') return null;
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "data" -> {
                if (hasData) data.append('\n');
                data.append(value);
                hasData = true;
            }
            case "event" -> event = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) id = value;
            }
            default -> {
                // "retry" and unknown fields: the client has its own backoff
            }
        }
        return null;
    }

    private Frame dispatch() {
        Frame frame = hasData ? new Frame(id, event, data.toString()) : null;
        data.setLength(0);
        hasData = false;
        event = null;
        return frame;
    }
}

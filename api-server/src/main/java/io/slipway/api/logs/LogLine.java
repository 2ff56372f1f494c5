package io.slipway.api.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * One line of an app's log. {@code seq} is 0 until the line is stored. Rendered as Heroku's logplex does:
 * {@code 2026-11-22T05:06:27.123456+00:00 app[web.1]: message}.
 */
public record LogLine(UUID appId, long seq, Instant time, String source, String dyno, String message) {
    public static final String SOURCE_APP = "app";
    public static final String SOURCE_HEROKU = "heroku";
    /** Microseconds always, and {@code +00:00} rather than {@code Z}, as Heroku prints them. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    public static String formatTime(Instant time) {
        return TIME.format(time);
    }

    public String render() {
        return formatTime(time) + " " + source + "[" + dyno + "]: " + message;
    }
}

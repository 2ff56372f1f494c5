package io.slipway.api.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps as Heroku writes them: ISO-8601 UTC in whole seconds ({@code 2026-11-22T02:19:40Z}), exactly what
 * {@code instant.truncatedTo(SECONDS).toString()} gives. Written by hand for the years 0000-9999 because the JDK's
 * formatter was a fifth of the JSON work of a {@code GET /apps} page (a thousand timestamps for 200 apps; session
 * 14's profile in docs/benchmarks.md); any other year goes to the JDK, which spells it with a sign.
 */
public final class HerokuTimestamps {
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z. */
    private static final long FIRST = -62167219200L;
    private static final long END = 253402300800L;

    private HerokuTimestamps() {}

    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST || seconds >= END) return instant.truncatedTo(ChronoUnit.SECONDS).toString();
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        char[] c = new char[20];
        digits(c, 0, t.getYear(), 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = 'Z';
        return new String(c);
    }

    private static void digits(char[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}

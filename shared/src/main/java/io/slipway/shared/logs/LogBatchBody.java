package io.slipway.shared.logs;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * The body of one {@code POST /internal/logs}, {@code {"lines":[{"app_id":..,"source":..,"dyno":..,"time":..,
 * "message":..},...]}}, written straight into one byte array that the sender thread reuses from post to post:
 * each line's text is JSON-escaped and UTF-8-encoded in a single pass, with no string, string builder or
 * character-set encoder in between (the router ships one line per request, so this runs thousands of times a
 * second). Strings are escaped as {@code Json.appendString} does; a lone surrogate becomes {@code ?}, as
 * {@code String.getBytes(UTF_8)} makes it. Not thread-safe: the shipper's sender thread only.
 */
final class LogBatchBody implements LogText {
    private static final byte[] OPEN = ascii("{\"lines\":[");
    private static final byte[] APP = ascii("{\"app_id\":");
    private static final byte[] SOURCE = ascii(",\"source\":");
    private static final byte[] DYNO = ascii(",\"dyno\":");
    private static final byte[] TIME = ascii(",\"time\":\"");
    private static final byte[] MESSAGE = ascii("\",\"message\":\"");
    private static final byte[] HEX = ascii("0123456789abcdef");

    private byte[] buf = new byte[64 * 1024];
    private int len;
    // the last second formatted ("2026-11-22T05:06:27."), reused for all lines within it
    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedSecondText = new byte[0];

    /** Starts a new body, forgetting the previous one. */
    void begin() {
        len = 0;
        raw(OPEN);
    }

    /**
     * One line; {@code appId} as text (escaped) or as a UUID, {@code message} as text or written by a
     * {@link LogMessage}. False, with nothing written, when the message failed to write itself: one bad line
     * must not keep the batch from the api-server forever.
     */
    boolean line(String appIdText, UUID appId, String source, String dyno, long epochMicros, String message,
                 LogMessage lazy) {
        int mark = len;
        try {
            writeLine(appIdText, appId, source, dyno, epochMicros, message, lazy);
            return true;
        } catch (RuntimeException e) {
            len = mark;
            return false;
        }
    }

    private void writeLine(String appIdText, UUID appId, String source, String dyno, long epochMicros,
                           String message, LogMessage lazy) {
        if (len > OPEN.length) byteOut(',');
        raw(APP);
        if (appId != null) uuid(appId);
        else quoted(appIdText);
        raw(SOURCE);
        quoted(source);
        raw(DYNO);
        quoted(dyno);
        raw(TIME);
        time(epochMicros);
        raw(MESSAGE);
        if (lazy != null) lazy.writeTo(this);
        else escaped(message, 0, message.length());
        ensure(2);
        buf[len++] = '"';
        buf[len++] = '}';
    }

    void end() {
        ensure(2);
        buf[len++] = ']';
        buf[len++] = '}';
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    int capacity() {
        return buf.length;
    }

    // --- LogText: a message's text, inside the JSON string ------------------------------------------------------

    @Override
    public LogText append(String s) {
        if (s == null) return append("null");
        escaped(s, 0, s.length());
        return this;
    }

    @Override
    public LogText append(String s, int from, int to) {
        if (s == null) return append("null");
        escaped(s, from, to);
        return this;
    }

    @Override
    public LogText append(char c) {
        ensure(6);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') buf[len++] = (byte) c;
        else escaped(String.valueOf(c), 0, 1);
        return this;
    }

    @Override
    public LogText append(long n) {
        if (n < 0) {
            if (n == Long.MIN_VALUE) return append(Long.toString(n));
            byteOut('-');
            n = -n;
        }
        ensure(20);
        int start = len;
        do {
            buf[len++] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    // --- writing ----------------------------------------------------------------------------------------------

    private void quoted(String s) {
        if (s == null) {
            raw(ascii("null"));
            return;
        }
        byteOut('"');
        escaped(s, 0, s.length());
        byteOut('"');
    }

    /** JSON string content (RFC 8259 escapes, as {@code Json.appendString}) as UTF-8, in one pass. */
    private void escaped(String s, int from, int to) {
        ensure((to - from) * 6); // the most one char can take: a six-byte escape
        byte[] b = buf;
        int n = len;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[n++] = (byte) c;
                    continue;
                }
                b[n++] = '\\';
                switch (c) {
                    case '"' -> b[n++] = '"';
                    case '\\' -> b[n++] = '\\';
                    case '\n' -> b[n++] = 'n';
                    case '\r' -> b[n++] = 'r';
                    case '\t' -> b[n++] = 't';
                    default -> {
                        b[n++] = 'u';
                        b[n++] = '0';
                        b[n++] = '0';
                        b[n++] = HEX[c >> 4];
                        b[n++] = HEX[c & 0xF];
                    }
                }
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | c >> 6);
                b[n++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                b[n++] = (byte) (0xE0 | c >> 12);
                b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[n++] = (byte) (0xF0 | cp >> 18);
                b[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | cp & 0x3F);
            } else {
                b[n++] = '?';
            }
        }
        len = n;
    }

    /** {@code UUID.toString()}'s text, in quotes, without making the string. */
    private void uuid(UUID id) {
        ensure(38);
        buf[len++] = '"';
        hex(id.getMostSignificantBits() >>> 32, 8);
        buf[len++] = '-';
        hex(id.getMostSignificantBits() >>> 16, 4);
        buf[len++] = '-';
        hex(id.getMostSignificantBits(), 4);
        buf[len++] = '-';
        hex(id.getLeastSignificantBits() >>> 48, 4);
        buf[len++] = '-';
        hex(id.getLeastSignificantBits(), 12);
        buf[len++] = '"';
    }

    private void hex(long bits, int digits) {
        for (int i = digits - 1; i >= 0; i--) buf[len++] = HEX[(int) (bits >>> (i * 4)) & 0xF];
    }

    /** ISO-8601 UTC with microseconds, e.g. {@code 2026-11-22T05:06:27.123456Z}. */
    private void time(long epochMicros) {
        long second = Math.floorDiv(epochMicros, 1_000_000L);
        int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
        if (second != cachedSecond) {
            String iso = Instant.ofEpochSecond(second).toString(); // ends in "Z", no fraction at whole seconds
            cachedSecondText = ascii(iso.substring(0, iso.length() - 1) + ".");
            cachedSecond = second;
        }
        raw(cachedSecondText);
        ensure(7);
        for (int div = 100_000; div > 0; div /= 10) buf[len++] = (byte) ('0' + micros / div % 10);
        buf[len++] = 'Z';
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void byteOut(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}

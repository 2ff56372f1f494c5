package io.slipway.router.logging;

import io.slipway.router.errors.HerokuError;
import io.slipway.shared.logs.LogMessage;
import io.slipway.shared.logs.LogShipper;
import io.slipway.shared.logs.LogText;
import java.util.UUID;

/**
 * Writes Heroku's router line for each request ({@code heroku[router]: at=info method=GET path="/" ...}) to
 * the app's log through the {@link LogShipper} (which never blocks the event loop). Requests for no known app
 * are not logged: there is no app log to put them in.
 *
 * <p>Nothing of the line is formatted on the event loop: the {@link Entry} (immutable, made per request anyway)
 * is queued as it is and writes its text on the shipper's sender thread, straight into the request body.
 */
public final class AccessLog {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private final LogShipper shipper;

    public AccessLog(LogShipper shipper) {
        this.shipper = shipper;
    }

    /** What one request did; {@code error} null for a normal proxied request. */
    public record Entry(UUID appId, HerokuError error, String method, String path, String host, String requestId,
                        String fwd, String dyno, long connectMs, long serviceMs, int status, long bytes,
                        String protocol) implements LogMessage {
        @Override
        public void writeTo(LogText text) {
            AccessLog.writeTo(text, this);
        }
    }

    public void log(Entry e) {
        if (shipper == null || e.appId() == null) return;
        java.time.Instant now = java.time.Instant.now();
        shipper.ship(e.appId(), "heroku", "router", e, now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
    }

    /** The line's text, as {@code heroku logs} shows it after {@code heroku[router]: }. */
    public static String format(Entry e) {
        return e.text();
    }

    private static void writeTo(LogText b, Entry e) {
        if (e.error() == null) {
            b.append("at=info");
        } else {
            b.append("at=error code=").append(e.error().name())
                    .append(" desc=\"").append(e.error().description()).append('"');
        }
        b.append(" method=").append(e.method())
                .append(" path=\"");
        quoted(b, e.path());
        b.append('"')
                .append(" host=").append(e.host() == null ? "" : e.host())
                .append(" request_id=").append(e.requestId())
                .append(" fwd=\"").append(e.fwd()).append('"')
                .append(" dyno=").append(e.dyno() == null ? "" : e.dyno())
                .append(" connect=");
        if (e.connectMs() >= 0) b.append(e.connectMs()).append("ms");
        b.append(" service=");
        if (e.serviceMs() >= 0) b.append(e.serviceMs()).append("ms");
        b.append(" status=").append(e.status()).append(" bytes=");
        if (e.bytes() >= 0) b.append(e.bytes());
        b.append(" protocol=").append(e.protocol());
    }

    /** Keeps the line one line and the quotes balanced; appends straight into the line. */
    private static void quoted(LogText b, String s) {
        if (s == null) return;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '"' && c != '\\' && c >= 0x20) continue;
            b.append(s, start, i).append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            start = i + 1;
        }
        b.append(s, start, s.length());
    }
}

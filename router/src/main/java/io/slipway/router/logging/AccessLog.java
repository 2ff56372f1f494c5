package io.slipway.router.logging;

import io.slipway.router.errors.HerokuError;
import io.slipway.shared.logs.LogShipper;
import java.util.UUID;

/**
 * Writes Heroku's router line for each request ({@code heroku[router]: at=info method=GET path="/" ...}) to
 * the app's log through the {@link LogShipper} (which never blocks the event loop). Requests for no known app
 * are not logged: there is no app log to put them in.
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
                        String protocol) {}

    public void log(Entry e) {
        if (shipper == null || e.appId() == null) return;
        java.time.Instant now = java.time.Instant.now();
        // the shipper's cheap path: nothing but this line's string is built on the event loop
        shipper.ship(e.appId().toString(), "heroku", "router", format(e),
                now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
    }

    public static String format(Entry e) {
        StringBuilder b = new StringBuilder(256);
        if (e.error() == null) {
            b.append("at=info");
        } else {
            b.append("at=error code=").append(e.error().name())
                    .append(" desc=\"").append(e.error().description()).append('"');
        }
        b.append(" method=").append(e.method())
                .append(" path=\"").append(quoted(e.path())).append('"')
                .append(" host=").append(e.host() == null ? "" : e.host())
                .append(" request_id=").append(e.requestId())
                .append(" fwd=\"").append(e.fwd()).append('"')
                .append(" dyno=").append(e.dyno() == null ? "" : e.dyno())
                .append(" connect=").append(e.connectMs() < 0 ? "" : e.connectMs() + "ms")
                .append(" service=").append(e.serviceMs() < 0 ? "" : e.serviceMs() + "ms")
                .append(" status=").append(e.status())
                .append(" bytes=").append(e.bytes() < 0 ? "" : Long.toString(e.bytes()))
                .append(" protocol=").append(e.protocol());
        return b.toString();
    }

    /** Keeps the line one line and the quotes balanced. */
    private static String quoted(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                if (b == null) b = new StringBuilder(s.substring(0, i));
                b.append(c == '"' ? "%22" : c == '\\' ? "%5C" : "%" + HEX[c >> 4] + HEX[c & 0xF]);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}

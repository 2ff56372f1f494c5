package io.slipway.api.logs.drains;

import io.slipway.api.logs.LogLine;
import java.nio.charset.StandardCharsets;

/**
 * Log lines as Heroku's logplex sends them to drains: RFC 5424 syslog messages with octet-counting framing
 * (RFC 6587), {@code <len> <190>1 2026-11-22T05:06:27.123456+00:00 host app web.1 - - message}: hostname
 * {@code host}, app-name the source ({@code app}/{@code heroku}), procid the dyno, no msgid nor structured
 * data. PRI 190 is facility local7, severity info, which logplex uses for app lines.
 */
public final class SyslogFrames {
    static final int PRI = 190;

    private SyslogFrames() {}

    public static String frame(LogLine line) {
        String message = "<" + PRI + ">1 " + LogLine.formatTime(line.time()) + " host " + token(line.source()) + " "
                + token(line.dyno()) + " - - " + line.message();
        return message.getBytes(StandardCharsets.UTF_8).length + " " + message;
    }

    /** Header fields are printable ASCII without spaces (RFC 5424 PRINTUSASCII); anything else would break the frame. */
    private static String token(String s) {
        if (s == null || s.isEmpty()) return "-";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c > 32 && c < 127 ? c : '_');
        }
        return b.toString();
    }
}

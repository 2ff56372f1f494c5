package io.slipway.api.logs;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.logs.drains.LogDrainForwarder;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Takes log lines from the platform's components ({@code POST /internal/logs}): cleans them up, stores them
 * ({@link LogLines}) and hands the stored ones to the app's drains without waiting for them.
 */
@Service
public class IngestLogs {
    private final LogLines lines;
    private final LogDrainForwarder drains;
    private final int maxMessage;

    public IngestLogs(LogLines lines, LogDrainForwarder drains, ApiServerConfig config) {
        this.lines = lines;
        this.drains = drains;
        this.maxMessage = config.logs().maxMessageLength();
    }

    /** Returns how many lines were stored (lines of unknown apps are dropped). */
    public int ingest(List<LogLine> incoming) {
        List<LogLine> stored = lines.append(incoming.stream().map(this::clean).toList());
        drains.forward(stored);
        return stored.size();
    }

    /**
     * One line, no trailing newline, at most {@code max-message-length} characters (Heroku truncates long
     * lines too). Line breaks inside a message are kept: the log stream sends them as several SSE data lines.
     */
    LogLine clean(LogLine l) {
        String m = l.message() == null ? "" : l.message();
        int end = m.length();
        while (end > 0 && (m.charAt(end - 1) == '\n' || m.charAt(end - 1) == '\r')) end--;
        if (end > maxMessage) {
            end = maxMessage;
            if (Character.isHighSurrogate(m.charAt(end - 1))) end--; // never split a character in two
        }
        m = m.substring(0, end).replace("\u0000", "");
        return new LogLine(l.appId(), 0, l.time(), l.source(), l.dyno(), m);
    }
}

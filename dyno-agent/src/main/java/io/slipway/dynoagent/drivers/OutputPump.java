package io.slipway.dynoagent.drivers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a dyno's output: passes the bytes on unchanged (attached one-offs) and/or splits them into UTF-8 lines
 * for the log (a "\r\n" ends a line; very long lines are split, as logplex would truncate them).
 */
final class OutputPump {
    private static final int MAX_LINE = 10_000;

    private OutputPump() {}

    static Thread start(InputStream in, Consumer<String> lines, OutputStream raw, String name) {
        Thread t = new Thread(() -> pump(in, lines, raw), name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void pump(InputStream in, Consumer<String> lines, OutputStream raw) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        OutputStream rawOut = raw;
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (rawOut != null) {
                    try {
                        rawOut.write(buffer, 0, n);
                        rawOut.flush();
                    } catch (IOException gone) {
                        rawOut = null; // the user went away; the process keeps running, its output is dropped
                    }
                }
                if (lines == null) continue;
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        emit(line, lines);
                    } else if (b != '\r') {
                        line.write(b);
                        if (line.size() >= MAX_LINE) emit(line, lines);
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        if (lines != null && line.size() > 0) emit(line, lines);
    }

    private static void emit(ByteArrayOutputStream line, Consumer<String> lines) {
        try {
            lines.accept(line.toString(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // a failing sink must not stop the pump: the process would block on a full pipe
        }
        line.reset();
    }
}

package io.slipway.buildworker.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns a build process's output into the lines the user sees: UTF-8, a carriage return restarts the line
 * (progress bars keep only their last state, as a terminal would show it), very long lines are split. Shared by
 * buildpack containers and Buildah, whose output both stream into a push.
 */
public final class OutputLines {
    private static final int MAX_LINE = 16 * 1024;

    private OutputLines() {}

    /** Starts a daemon thread that reads {@code in} to its end, handing each line to {@code sink}. */
    public static Thread pump(InputStream in, Consumer<String> sink, String threadName) {
        Thread t = new Thread(() -> read(in, sink), threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void read(InputStream in, Consumer<String> sink) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean carriageReturn = false;
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        emit(line, sink);
                        carriageReturn = false;
                    } else if (b == '\r') {
                        carriageReturn = true; // "\r\n" ends the line; "\r" then text overwrites it
                    } else {
                        if (carriageReturn) line.reset();
                        carriageReturn = false;
                        line.write(b);
                        if (line.size() >= MAX_LINE) emit(line, sink);
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        if (line.size() > 0) emit(line, sink);
    }

    private static void emit(ByteArrayOutputStream line, Consumer<String> sink) {
        sink.accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
    }
}

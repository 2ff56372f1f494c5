package io.slipway.api.logs;

/**
 * Which lines a log session shows, as {@code heroku logs -s SOURCE -d DYNO} asks: {@code source} exact
 * ({@code app} or {@code heroku}); {@code dyno} either a dyno name ({@code web.1}, exact) or a process type
 * ({@code web}: every {@code web.N}). Null fields match everything.
 */
public record LogFilter(String source, String dyno) {
    public static final LogFilter ALL = new LogFilter(null, null);

    public boolean matches(LogLine line) {
        if (source != null && !source.equals(line.source())) return false;
        return dyno == null || dyno.equals(line.dyno()) || line.dyno().startsWith(dyno + ".");
    }
}

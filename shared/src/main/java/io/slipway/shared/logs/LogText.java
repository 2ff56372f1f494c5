package io.slipway.shared.logs;

/**
 * Where a {@link LogMessage} writes its text: a {@link StringBuilder} (tests, callers that want the string) or the
 * log shipper's request body, where the text goes straight into bytes, JSON-escaped, with no string in between.
 */
public interface LogText {
    LogText append(String s);

    /** {@code s.substring(from, to)} without making it. */
    LogText append(String s, int from, int to);

    LogText append(char c);

    LogText append(long n);

    /** Writes into {@code b} as is. */
    static LogText of(StringBuilder b) {
        return new LogText() {
            @Override
            public LogText append(String s) {
                b.append(s);
                return this;
            }

            @Override
            public LogText append(String s, int from, int to) {
                b.append(s, from, to);
                return this;
            }

            @Override
            public LogText append(char c) {
                b.append(c);
                return this;
            }

            @Override
            public LogText append(long n) {
                b.append(n);
                return this;
            }
        };
    }
}

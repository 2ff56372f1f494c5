package io.slipway.api.web;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Heroku {@code Range} header: {@code <field> [[]start]..[end][; max=N][, order=asc|desc]}.
 * Examples the CLI sends: {@code id ..; max=1000;}, {@code version ..; max=15, order=desc},
 * {@code version ..; order=desc,max=1}, and back what we sent as {@code Next-Range}: {@code ]abc..; max=200, order=asc}.
 */
public record RangeRequest(String field, String start, boolean startExclusive, String end, int max, boolean descending) {
    public static final int DEFAULT_MAX = 200;
    public static final int LIMIT_MAX = 1000;
    /** The start may itself hold dots (hostnames, emails): it ends at the first {@code ..}. */
    private static final Pattern HEAD = Pattern.compile("^\\s*([a-z_]+)\\s*(\\]?)([^;,]*?)\\.\\.([^;,]*)\\s*(.*)$");

    public static RangeRequest parse(String header, Set<String> fields, String defaultField) {
        if (header == null || header.isBlank()) return new RangeRequest(defaultField, null, false, null, DEFAULT_MAX, false);
        Matcher m = HEAD.matcher(header);
        if (!m.matches()) throw ApiErrors.badRequest("Invalid Range header: " + header);
        String field = m.group(1);
        if (!fields.contains(field)) {
            throw ApiErrors.badRequest("Invalid Range header: ranges are accepted on " + String.join(", ", fields) + ".");
        }
        String start = blankToNull(m.group(3));
        String end = blankToNull(m.group(4));
        int max = DEFAULT_MAX;
        boolean desc = false;
        for (String part : m.group(5).split("[;,]")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            if (eq < 0) throw ApiErrors.badRequest("Invalid Range header: " + header);
            String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).trim();
            switch (key) {
                case "max" -> {
                    try {
                        max = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw ApiErrors.badRequest("Invalid Range header: max must be a number.");
                    }
                    if (max < 1) throw ApiErrors.badRequest("Invalid Range header: max must be at least 1.");
                    max = Math.min(max, LIMIT_MAX);
                }
                case "order" -> {
                    if (!value.equals("asc") && !value.equals("desc")) {
                        throw ApiErrors.badRequest("Invalid Range header: order must be asc or desc.");
                    }
                    desc = value.equals("desc");
                }
                default -> throw ApiErrors.badRequest("Invalid Range header: unknown parameter " + key + ".");
            }
        }
        return new RangeRequest(field, start, m.group(2).equals("]"), end, max, desc);
    }

    private static String blankToNull(String s) {
        String t = s == null ? null : s.trim();
        return t == null || t.isEmpty() ? null : t;
    }

    /** The Next-Range value that continues after {@code lastKey}. */
    public String next(String lastKey) {
        return field + " ]" + lastKey + "..; max=" + max + ", order=" + (descending ? "desc" : "asc");
    }
}

package io.slipway.api.domains;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.DomainException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rule for custom domain names. A hostname is lowercased, loses one trailing dot (the FQDN form), and
 * must then be a DNS name of RFC 1123 labels: 1 to 63 of {@code a-z 0-9 -} each, not starting or ending
 * with a dash, at least two labels, 253 characters at most, and a top-level label that is not all digits
 * (so no IPv4 address; IPv6 has colons and fails anyway). Internationalised names are given in their
 * punycode ({@code xn--}) form. A single leading {@code *.} makes a wildcard domain, which the router
 * matches against exactly one more label ({@code *.example.com} routes {@code www.example.com}, not
 * {@code a.b.example.com}, like a TLS wildcard certificate); an exact hostname wins over a wildcard.
 */
public final class Hostnames {
    static final int MAX_LENGTH = 253;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private Hostnames() {}

    /** The canonical form of {@code raw}, or a 422 {@code invalid_params} saying what is wrong. */
    public static String normalize(String raw) {
        String h = raw.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (h.isEmpty()) throw invalid(raw, "it is empty");
        if (h.length() > MAX_LENGTH) throw invalid(raw, "it is longer than " + MAX_LENGTH + " characters");
        String name = h.startsWith("*.") ? h.substring(2) : h;
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) throw invalid(raw, "it has an empty label");
            if (label.length() > 63) throw invalid(raw, "a label is longer than 63 characters");
            if (!LABEL.matcher(label).matches()) {
                throw invalid(raw, "labels may only hold letters, digits and inner dashes"
                        + (label.contains("*") ? " (a wildcard is only allowed as a leading *.)" : "")
                        + (label.chars().anyMatch(c -> c > 127) ? " (use the xn-- form of international names)" : ""));
            }
        }
        if (labels.length < 2) throw invalid(raw, "it needs at least two labels, like example.com");
        if (DIGITS.matcher(labels[labels.length - 1]).matches()) {
            throw invalid(raw, "IP addresses cannot be added as domains");
        }
        return h;
    }

    /** Whether {@code hostname} (wildcard or not) is {@code domain} itself or lies under it. */
    public static boolean isWithin(String hostname, String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        String name = hostname.startsWith("*.") ? hostname.substring(2) : hostname;
        return name.equals(d) || name.endsWith("." + d);
    }

    private static DomainException invalid(String raw, String why) {
        String shown = raw.length() > 80 ? raw.substring(0, 80) + "..." : raw;
        return new InvalidInput("Hostname " + shown + " is not a valid domain name: " + why + ".");
    }
}

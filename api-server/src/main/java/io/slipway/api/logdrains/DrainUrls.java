package io.slipway.api.logdrains;

import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * What a drain URL may be: {@code syslog://host:port} (syslog over TCP), {@code syslog+tls://host:port},
 * {@code https://...} or {@code http://...} (log lines POSTed in batches), as on Heroku. Syslog drains need an
 * explicit port (there is no single default receivers agree on). Credentials in an HTTP(S) URL are allowed:
 * that is how most log services authenticate drains.
 */
public final class DrainUrls {
    public static final List<String> SCHEMES = List.of("syslog", "syslog+tls", "https", "http");
    static final int MAX_LENGTH = 2048;

    private DrainUrls() {}

    public static String validate(String url) {
        if (url == null || url.isBlank()) throw new InvalidInput("Missing required param `url`.");
        if (url.length() > MAX_LENGTH) throw invalid("it is longer than " + MAX_LENGTH + " characters");
        if (!url.equals(url.strip()) || url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw invalid("it contains spaces or control characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("it is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !SCHEMES.contains(scheme)) {
            throw invalid("the scheme must be one of syslog://, syslog+tls://, https://, http://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw invalid("it has no host name");
        if (scheme.startsWith("syslog")) {
            if (uri.getPort() < 1) throw invalid("syslog drains need a port, e.g. syslog+tls://logs.example.com:6514");
            if (uri.getUserInfo() != null) throw invalid("syslog drains cannot carry credentials");
        }
        return url;
    }

    private static DomainException invalid(String why) {
        return new InvalidInput("Invalid drain URL: " + why + ".");
    }
}

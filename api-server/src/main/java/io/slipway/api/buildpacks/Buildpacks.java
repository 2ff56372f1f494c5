package io.slipway.api.buildpacks;

import io.slipway.api.errors.InvalidInput;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a buildpack installation may name. Either one of the buildpacks the build-worker ships
 * ({@code heroku/nodejs}, ...), stored as Heroku stores its official ones ({@code url}
 * {@code urn:buildpack:heroku/nodejs}, which the CLI shows as {@code heroku/nodejs}), or an https URL the
 * build-worker fetches (a tarball or a git repository). There is no buildpack registry: other
 * {@code owner/name} names are refused with a hint to use the buildpack's URL.
 *
 * <p>{@code heroku buildpacks:add heroku/nodejs} resolves the name through Heroku's registry on the client and
 * sends that registry's tarball URL; those URLs of the shipped buildpacks are taken as the built-in ones.
 */
public final class Buildpacks {
    public static final List<String> BUILT_IN = List.of("heroku/nodejs", "heroku/java", "heroku/python",
            "heroku/static", "heroku/procfile");
    public static final String URN_PREFIX = "urn:buildpack:";
    static final int MAX_URL_LENGTH = 2048;
    private static final Pattern HEROKU_TARBALL = Pattern.compile(
            "^https://(?:buildpack-registry|codon-buildpacks)\\.s3\\.amazonaws\\.com/buildpacks/(heroku/[a-z0-9-]+)\\.tgz$");

    private Buildpacks() {}

    /** What to store: {@code url} and {@code name} of a buildpack installation. */
    public record Resolved(String url, String name) {}

    public static Resolved resolve(String given) {
        if (given == null || given.isBlank()) throw new InvalidInput("Each update needs a `buildpack`.");
        String b = given.strip();
        String builtIn = builtIn(b);
        if (builtIn != null) return new Resolved(URN_PREFIX + builtIn, builtIn);
        if (b.regionMatches(true, 0, "https://", 0, 8)) return new Resolved(validUrl(b), b);
        if (b.regionMatches(true, 0, "http://", 0, 7)) {
            throw new InvalidInput("Buildpack URLs must use https: " + b);
        }
        throw new InvalidInput("Unknown buildpack " + b + ". Use an https URL, or one of the built-in "
                + "buildpacks: " + String.join(", ", BUILT_IN) + " (this platform has no buildpack registry).");
    }

    /** The built-in buildpack's name for {@code heroku/x}, {@code urn:buildpack:heroku/x}, {@code x} or its tarball URL. */
    private static String builtIn(String b) {
        String candidate = b.startsWith(URN_PREFIX) ? b.substring(URN_PREFIX.length()) : b;
        Matcher m = HEROKU_TARBALL.matcher(candidate);
        if (m.matches()) candidate = m.group(1);
        if (!candidate.contains("/")) candidate = "heroku/" + candidate;
        return BUILT_IN.contains(candidate) ? candidate : null;
    }

    private static String validUrl(String url) {
        if (url.length() > MAX_URL_LENGTH) throw new InvalidInput("Buildpack URL is longer than " + MAX_URL_LENGTH + " characters.");
        if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new InvalidInput("Buildpack URL must not contain spaces or control characters.");
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !"https".equals(uri.getScheme().toLowerCase(Locale.ROOT))) throw new URISyntaxException(url, "no host");
        } catch (URISyntaxException e) {
            throw new InvalidInput("Invalid buildpack URL: " + url);
        }
        return url;
    }
}

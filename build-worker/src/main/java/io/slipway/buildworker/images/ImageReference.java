package io.slipway.buildworker.images;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image a Dockerfile names in {@code FROM} or {@code COPY --from} (after {@code ARG} substitution), read with
 * Docker's reference grammar: {@code [domain/]path[:tag][@sha256:digest]}, where the first path component is a
 * registry host only when it has a dot or a colon or is {@code localhost}. Checked strictly (lower-case path
 * components, Docker's tag pattern, sha256 digests only, 255 characters at most) because it becomes an argument
 * of {@code buildah pull} and a name in the worker's storage.
 *
 * @param domain the registry host as written, or null (a Docker Hub-style name)
 * @param path the repository path as written ({@code python}, {@code bitnami/redis})
 * @param tag the tag, or null when only a digest is given ({@code latest} when neither is)
 * @param digest {@code sha256:<hex>}, or null
 */
public record ImageReference(String domain, String path, String tag, String digest) {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    /** Docker Hub's own names: Docker's registry mirror serves exactly these, so the mirror is asked for them. */
    private static final java.util.Set<String> DOCKER_HUB = java.util.Set.of("docker.io", "index.docker.io");

    public static ImageReference parse(String written) throws BaseImageName.UnsupportedNameException {
        String rest = written;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) throw invalid(written, "only sha256 digests can be used");
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) throw invalid(written, "not a valid tag");
        }
        String domain = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")
                    || !first.equals(first.toLowerCase(Locale.ROOT))) {
                domain = first;
                rest = rest.substring(slash + 1);
                if (!DOMAIN.matcher(domain).matches()) throw invalid(written, "not a valid registry host");
            }
        }
        if (written.length() > 255 || rest.isEmpty()) throw invalid(written, "not a valid image name");
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) throw invalid(written, "not a valid image name");
        }
        if (tag == null && digest == null) tag = "latest";
        return new ImageReference(domain, rest, tag, digest);
    }

    /**
     * The platform base image this may be ({@code heroku-24}, {@code localhost/heroku-24:v2}): one path component,
     * no registry other than {@code localhost}, no digest; else null.
     */
    public BaseImageName platformName() throws BaseImageName.UnsupportedNameException {
        if ((domain != null && !domain.equals("localhost")) || digest != null || path.contains("/")) return null;
        return BaseImageName.parse(path + ":" + tag);
    }

    /** True when the name says {@code localhost/}: the worker's own storage, so only a platform base image. */
    public boolean isLocal() {
        return "localhost".equals(domain);
    }

    /** True for a Docker Hub-style name ({@code python}, {@code docker.io/library/python}): the mirror serves it. */
    public boolean isDockerHub() {
        return domain == null || DOCKER_HUB.contains(domain);
    }

    /** The path on the mirror: Docker Hub's official images live under {@code library/}, as Docker's mirror has them. */
    public String mirrorPath() {
        return isDockerHub() && !path.contains("/") ? "library/" + path : path;
    }

    /** The reference {@code buildah pull} is given: this image on the mirror. */
    public String onMirror(String mirror) {
        return "docker://" + mirror + "/" + mirrorPath() + (digest != null ? "@" + digest : ":" + tag);
    }

    /**
     * The repository {@code buildah bud --pull-never} looks this name up under in the worker's storage: a name
     * without registry resolves to {@code localhost/} (the registries file), a Docker Hub name to
     * {@code docker.io/library/...}, a mirror name to itself.
     */
    public String localRepository() {
        if (domain == null) return "localhost/" + path;
        if (DOCKER_HUB.contains(domain)) return "docker.io/" + mirrorPath();
        return domain + "/" + path;
    }

    /**
     * The tag the pulled image gets there; for a digest alone one derived from it (Buildah finds
     * {@code name@sha256:...} through any tag of the repository whose image has that digest).
     */
    public String localName() {
        return localRepository() + ":" + (tag != null ? tag : digest.replace(':', '-'));
    }

    @Override
    public String toString() {
        return (domain == null ? "" : domain + "/") + path + (tag != null ? ":" + tag : "")
                + (digest != null ? "@" + digest : "");
    }

    private static BaseImageName.UnsupportedNameException invalid(String written, String why) {
        return new BaseImageName.UnsupportedNameException("FROM " + shown(written) + ": " + why + ".");
    }

    /** A tenant's name as the build's output shows it: cut to 128 characters, control characters replaced. */
    static String shown(String s) {
        String cut = s.length() > 128 ? s.substring(0, 128) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}

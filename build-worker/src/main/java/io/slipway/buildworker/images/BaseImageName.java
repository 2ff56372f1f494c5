package io.slipway.buildworker.images;

import java.util.regex.Pattern;

/**
 * A platform base image a Dockerfile names in {@code FROM}: {@code heroku-24}, {@code heroku-24:latest}, or the
 * same with {@code localhost/} in front (how the worker's storage names them). Nothing else: a registry host,
 * a path ({@code library/node}), a digest or {@code ..} is refused, because the name becomes part of an internal
 * API path ({@link ImageReference#platformName()} only asks for one-word names; other names may come from the
 * registry mirror, see {@link BaseImageSources}).
 */
public record BaseImageName(String name, String tag) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    /** A {@code FROM} image this platform cannot provide; the message is for the build's output. */
    public static final class UnsupportedNameException extends Exception {
        UnsupportedNameException(String message) {
            super(message);
        }
    }

    public static BaseImageName parse(String reference) throws UnsupportedNameException {
        String ref = reference.startsWith("localhost/") ? reference.substring("localhost/".length()) : reference;
        int colon = ref.lastIndexOf(':');
        String name = colon < 0 ? ref : ref.substring(0, colon);
        String tag = colon < 0 ? "latest" : ref.substring(colon + 1);
        if (ref.contains("@")) {
            throw new UnsupportedNameException("FROM " + ImageReference.shown(reference) + ": platform base images are named, not "
                    + "given by digest.");
        }
        if (name.contains("/")) {
            throw new UnsupportedNameException("FROM " + ImageReference.shown(reference) + ": platform base images have one-word "
                    + "names, like heroku-24.");
        }
        if (!NAME.matcher(name).matches() || name.contains("..") || !TAG.matcher(tag).matches()) {
            throw new UnsupportedNameException("FROM " + ImageReference.shown(reference) + ": not a valid image name.");
        }
        return new BaseImageName(name, tag);
    }

    /** How Buildah's storage on the worker names it. */
    public String local() {
        return "localhost/" + name + ":" + tag;
    }

    @Override
    public String toString() {
        return name + ":" + tag;
    }
}

package io.slipway.api.images;

import io.slipway.api.errors.InvalidInput;
import java.util.regex.Pattern;

/** A platform base image's {@code name[:tag]} ({@code heroku-24}, {@code heroku-24:latest}); the tag defaults to {@code latest}. */
public record BaseImageName(String name, String tag) {
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
    private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$");

    public static BaseImageName parse(String ref) {
        if (ref == null) throw invalid(null);
        int colon = ref.indexOf(':');
        String name = colon < 0 ? ref : ref.substring(0, colon);
        String tag = colon < 0 ? "latest" : ref.substring(colon + 1);
        if (!NAME.matcher(name).matches() || !TAG.matcher(tag).matches()) throw invalid(ref);
        return new BaseImageName(name, tag);
    }

    @Override
    public String toString() {
        return name + ":" + tag;
    }

    private static InvalidInput invalid(String ref) {
        return new InvalidInput("Invalid base image name " + ref + ": expected name[:tag], a name of lowercase letters, "
                + "digits, '.', '_' and '-' (at most 64), a tag of letters, digits, '.', '_' and '-' (at most 128).");
    }
}

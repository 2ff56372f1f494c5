package io.slipway.api.storage;

import io.slipway.api.errors.InvalidInput;
import java.util.Locale;
import java.util.regex.Pattern;

/** Heroku's checksum notation for tarballs: {@code SHA256:<64 hex digits>}. */
public final class Checksums {
    private static final Pattern SHA256 = Pattern.compile("^SHA256:[0-9a-fA-F]{64}$");

    private Checksums() {}

    /** Null stays null; anything else must be a SHA256 checksum and comes back with lower-case hex. */
    public static String normalize(String field, String checksum) {
        if (checksum == null) return null;
        if (!SHA256.matcher(checksum).matches()) {
            throw new InvalidInput("Invalid `" + field + "`: expected SHA256:<64 hex digits>.");
        }
        return "SHA256:" + checksum.substring(7).toLowerCase(Locale.ROOT);
    }
}

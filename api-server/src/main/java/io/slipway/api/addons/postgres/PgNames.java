package io.slipway.api.addons.postgres;

import io.slipway.api.addons.Addon;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Names on the apps' server. The role and the database of an add-on share one name derived from the add-on's id
 * (stable, so a retried provision finds what the first attempt made; never chosen by a user, so nothing to
 * escape), which also lets {@code pg_hba.conf} say {@code sameuser}: a role connects only to its own database.
 */
public final class PgNames {
    private static final SecureRandom RANDOM = new SecureRandom();

    private PgNames() {}

    /** {@code addon_<32 hex>}: role and database name. */
    public static String of(Addon addon) {
        return "addon_" + addon.id().toString().replace("-", "");
    }

    /** The role that owns the add-on's objects while its writes are refused ({@link PgWriteLock}). */
    public static String lockRole(String name) {
        return name + "_locked";
    }

    /** 192 random bits, hex: safe in a URL without escaping. */
    public static String newPassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

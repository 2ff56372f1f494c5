package io.slipway.shared.archive;

/**
 * The one extraction policy of the platform's archives (sources, buildpacks, caches, slugs, repositories). What
 * is always refused does not depend on it (absolute names, {@code ..}, writes through a symlink, devices, FIFOs,
 * hard links to anything but a regular file the archive itself already wrote); what it sets are the limits and
 * who owns what is written.
 *
 * @param maxBytes the most the archive's regular files may hold together, counted from their declared sizes
 *        before anything is written
 * @param maxEntries the most entries (files, directories, links) the archive may hold
 * @param uid the owner of everything written, or -1 to leave it to the extracting process (never the archive's)
 * @param gid the group of everything written, or -1 as for {@code uid}
 */
public record ExtractionPolicy(long maxBytes, long maxEntries, int uid, int gid) {
    /** Half a million entries: a Node.js app with its {@code node_modules} stays well under it. */
    public static final long DEFAULT_MAX_ENTRIES = 500_000;

    public ExtractionPolicy {
        if (maxBytes < 0 || maxEntries < 0) throw new IllegalArgumentException("limits must not be negative");
    }

    /** At most {@code maxBytes} and {@link #DEFAULT_MAX_ENTRIES} entries, owned by the extracting process. */
    public static ExtractionPolicy limitedTo(long maxBytes) {
        return new ExtractionPolicy(maxBytes, DEFAULT_MAX_ENTRIES, -1, -1);
    }

    public ExtractionPolicy withMaxEntries(long entries) {
        return new ExtractionPolicy(maxBytes, entries, uid, gid);
    }

    /** Everything written is owned by {@code uid:gid} (applied without following links). */
    public ExtractionPolicy ownedBy(int newUid, int newGid) {
        return new ExtractionPolicy(maxBytes, maxEntries, newUid, newGid);
    }

    boolean setsOwner() {
        return uid >= 0 && gid >= 0;
    }
}

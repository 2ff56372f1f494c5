package io.slipway.shared.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process that owns a {@link SandboxNetwork}'s nftables table, written into the table's comment. A table
 * outlives an owner killed outright (nothing runs its {@code close}), and its {@code web} map keeps sending the
 * host's connections to a published port to a sandbox that is gone: a server started later on that port on the
 * host (another owner's, a test's) is then unreachable, its clients hanging until the kernel gives up. With the
 * owner named, the next owner to start on the host removes such a table.
 *
 * @param pid the owner's process id
 * @param startTicks when that process started, in clock ticks since boot ({@code /proc/<pid>/stat}'s 22nd field),
 *                   so a reused process id is not taken for the owner. Not wall-clock time: the JDK's
 *                   {@code ProcessHandle} start instant moves when the clock is set, and a running owner whose
 *                   start seemed to change would lose its table, and its sandboxes their isolation.
 * @param pidNamespace the owner's PID namespace ({@code /proc/self/ns/pid}): a process id means nothing outside it
 * @param subnet the block of the sandbox pool the owner claimed, released with the table
 */
record TableOwner(long pid, long startTicks, String pidNamespace, Cidr subnet) {
    private static final Pattern COMMENT = Pattern.compile(
            "comment \"slipway owner pid=(\\d+) start=(\\d+) pidns=(\\S+) subnet=(\\S+)\"");

    private static final String UNKNOWN = "unknown";

    /** This process, owning {@code subnet}. */
    static TableOwner current(Cidr subnet) {
        long pid = ProcessHandle.current().pid();
        return new TableOwner(pid, startTicks(pid), ownPidNamespace(), subnet);
    }

    /** The owner named in an {@code nft list table} listing, if it names one. */
    static Optional<TableOwner> inListing(String listing) {
        Matcher m = COMMENT.matcher(listing);
        if (!m.find()) return Optional.empty();
        return Optional.of(new TableOwner(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3),
                Cidr.parse(m.group(4))));
    }

    /** The table's comment (nft's limit is 128 bytes; this is under 110). */
    String comment() {
        return "slipway owner pid=" + pid + " start=" + startTicks + " pidns=" + pidNamespace + " subnet=" + subnet;
    }

    /**
     * Whether the owner has certainly ended: it is in this process's PID namespace and no process with its id and
     * start runs (a process not yet reaped still counts as running). An owner seen from another PID namespace, or
     * whose start could not be read when it wrote the table, is never taken for gone.
     */
    boolean isGone() {
        String ours = ownPidNamespace();
        if (ours.equals(UNKNOWN) || !pidNamespace.equals(ours) || startTicks < 0) return false;
        if (!Files.exists(Path.of("/proc", Long.toString(pid)))) return true;
        long now = startTicks(pid);
        return now >= 0 && now != startTicks;
    }

    /** The process's start in clock ticks since boot, or -1 when it cannot be read (gone, or not Linux). */
    static long startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count from its closing one
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[19]); // field 22; fields[0] is field 3
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String ownPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return UNKNOWN;
        }
    }
}

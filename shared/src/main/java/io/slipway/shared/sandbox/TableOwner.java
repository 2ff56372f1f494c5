package io.slipway.shared.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
 * @param startMillis when that process started, so a reused process id is not taken for the owner
 * @param pidNamespace the owner's PID namespace ({@code /proc/self/ns/pid}): a process id means nothing outside it
 * @param subnet the block of the sandbox pool the owner claimed, released with the table
 */
record TableOwner(long pid, long startMillis, String pidNamespace, Cidr subnet) {
    private static final Pattern COMMENT = Pattern.compile(
            "comment \"slipway owner pid=(\\d+) start=(\\d+) pidns=(\\S+) subnet=(\\S+)\"");

    private static final String UNKNOWN = "unknown";

    /** This process, owning {@code subnet}. */
    static TableOwner current(Cidr subnet) {
        ProcessHandle self = ProcessHandle.current();
        return new TableOwner(self.pid(), startMillis(self), ownPidNamespace(), subnet);
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
        return "slipway owner pid=" + pid + " start=" + startMillis + " pidns=" + pidNamespace + " subnet=" + subnet;
    }

    /**
     * Whether the owner has certainly ended: it is in this process's PID namespace and no process with its id and
     * start time runs. An owner seen from another PID namespace is never taken for gone.
     */
    boolean isGone() {
        String ours = ownPidNamespace();
        if (ours.equals(UNKNOWN) || !pidNamespace.equals(ours)) return false;
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isEmpty() || !process.get().isAlive() || startMillis(process.get()) != startMillis;
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static String ownPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return UNKNOWN;
        }
    }
}

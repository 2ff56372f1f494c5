package io.slipway.shared.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an OCI runtime config that every Slipway container shares, builds (build-worker) and dynos
 * (dyno-agent) alike: the kernel file systems a process expects, the {@code /proc} and {@code /sys} paths hidden
 * or read-only as in {@code runc spec}'s defaults, and the namespaces every container gets. The network namespace
 * is each container's own too, but made beforehand by the agent or worker ({@code SandboxNetwork}), so the
 * bundles add it with its path.
 */
public final class OciDefaults {
    private OciDefaults() {}

    public static final List<Map<String, Object>> NAMESPACES = List.of(Map.of("type", "pid"), Map.of("type", "ipc"),
            Map.of("type", "uts"), Map.of("type", "mount"));

    public static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/sys/firmware", "/proc/scsi");

    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /** {@code /proc}, {@code /dev} (+pts, shm, mqueue) and a read-only {@code /sys}. */
    public static List<Object> baseMounts() {
        return List.of(
                mount("/proc", "proc", "proc", List.of()),
                mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666",
                        "mode=0620")),
                mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
    }

    public static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        if (!options.isEmpty()) m.put("options", options);
        return m;
    }

    /**
     * {@code wanted} open files, but never above this process's own hard limit: runc sets the limit after
     * dropping privileges, so asking for more than the agent or worker has fails the container's start. 1024
     * (the OCI default, always allowed) when the limit cannot be read.
     */
    public static long openFilesLimit(long wanted) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    if (!parts[1].equals("unlimited")) return Math.min(wanted, Long.parseLong(parts[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 1024;
        }
        return wanted;
    }
}

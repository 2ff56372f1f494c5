package io.slipway.buildworker.container;

import static io.slipway.shared.oci.OciDefaults.baseMounts;
import static io.slipway.shared.oci.OciDefaults.mount;

import io.slipway.shared.oci.BindSources;
import io.slipway.shared.oci.OciDefaults;
import io.slipway.shared.oci.SeccompProfile;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an OCI bundle for runc: an empty read-only root directory and a {@code config.json}. The root holds only
 * mount points; the stack's system directories are bind-mounted over it read-only (a stack whose {@code /bin} is a
 * link to {@code usr/bin}, like Debian's, gets the same link), {@code /tmp} is a tmpfs owned by the build user.
 * The build has its own network namespace, made by the worker ({@code SandboxNetwork}): outbound only, so it
 * reaches package registries but not the host or the platform. Docker's default seccomp profile, no
 * capabilities, {@code no_new_privileges}.
 */
public final class OciBundle {
    /** The stack's directories a build sees; everything else of the host stays hidden. */
    static final List<String> STACK_DIRS = List.of("usr", "bin", "sbin", "lib", "lib64", "etc");

    private static final Map<String, Object> SECCOMP = SeccompProfile.forCapabilities(Set.of());

    private OciBundle() {}

    /** Creates {@code bundle/rootfs} and {@code bundle/config.json}; no network namespace of its own (tests). */
    public static void write(ContainerSpec spec, Path bundle) throws IOException {
        write(spec, bundle, null);
    }

    /**
     * Creates {@code bundle/rootfs} and {@code bundle/config.json}.
     *
     * @param netns the build's network namespace ({@code /run/netns/...}), or null for the host's network
     */
    public static void write(ContainerSpec spec, Path bundle, Path netns) throws IOException {
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs);
        List<Object> mounts = new ArrayList<>(baseMounts());
        for (String dir : STACK_DIRS) {
            Path source = spec.stackRoot().resolve(dir);
            if (Files.isSymbolicLink(source)) {
                // mirror the link (e.g. bin -> usr/bin) so paths resolve inside the container as on the stack
                Files.createSymbolicLink(rootfs.resolve(dir), Files.readSymbolicLink(source));
            } else if (Files.isDirectory(source)) {
                Files.createDirectories(rootfs.resolve(dir));
                mounts.add(bind(source, spec.stackRoot(), "/" + dir, true));
            }
        }
        Path resolv = spec.stackRoot().resolve("etc/resolv.conf");
        if (Files.isSymbolicLink(resolv) && Files.isRegularFile(Path.of("/etc/resolv.conf"))) {
            // e.g. systemd-resolved's link into /run, which the container does not have: use the host's resolver
            Path hostResolv = Path.of("/etc/resolv.conf").toRealPath(); // the host's own, not the tenant's
            mounts.add(bind(hostResolv, hostResolv, "/etc/resolv.conf", true));
        }
        for (String dir : List.of("proc", "dev", "sys", "tmp")) Files.createDirectories(rootfs.resolve(dir));
        mounts.add(mount("/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777",
                "uid=" + spec.uid(), "gid=" + spec.gid(), "size=" + Math.max(64, spec.memoryBytes() >> 20) + "m")));
        for (ContainerSpec.Bind b : spec.binds()) mounts.add(bind(b.source(), b.within(), b.destination(), b.readOnly()));

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ociVersion", "1.0.2-dev");
        config.put("process", process(spec));
        config.put("root", Map.of("path", rootfs.toAbsolutePath().toString(), "readonly", true));
        config.put("hostname", "build");
        config.put("mounts", mounts);
        config.put("linux", linux(spec, netns));
        Files.writeString(bundle.resolve("config.json"), Json.write(config), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> process(ContainerSpec spec) {
        List<String> env = new ArrayList<>();
        spec.env().forEach((k, v) -> env.add(k + "=" + v));
        env.sort(null);
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", false);
        process.put("user", Map.of("uid", spec.uid(), "gid", spec.gid()));
        process.put("args", spec.args());
        process.put("env", env);
        process.put("cwd", spec.cwd());
        List<String> none = List.of(); // the build user gets no capabilities at all
        process.put("capabilities", Map.of("bounding", none, "effective", none, "permitted", none,
                "inheritable", none, "ambient", none));
        long files = openFilesLimit();
        process.put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "hard", files, "soft", files)));
        process.put("noNewPrivileges", true);
        return process;
    }

    /** 65536 open files (npm and Maven open many), within the worker's own hard limit. */
    static long openFilesLimit() {
        return OciDefaults.openFilesLimit(65536);
    }

    private static Map<String, Object> linux(ContainerSpec spec, Path netns) {
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("devices", List.of(Map.of("allow", false, "access", "rwm")));
        resources.put("memory", Map.of("limit", spec.memoryBytes()));
        resources.put("pids", Map.of("limit", spec.pids()));
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("resources", resources);
        List<Object> namespaces = new ArrayList<>(OciDefaults.NAMESPACES);
        if (netns != null) namespaces.add(Map.of("type", "network", "path", netns.toString()));
        linux.put("namespaces", namespaces);
        linux.put("seccomp", SECCOMP);
        linux.put("maskedPaths", OciDefaults.MASKED_PATHS);
        linux.put("readonlyPaths", OciDefaults.READONLY_PATHS);
        return linux;
    }


    /** A bind of {@code source}, refused unless it resolves to itself under {@code within} (see BindSources). */
    private static Map<String, Object> bind(Path source, Path within, String destination, boolean readOnly)
            throws IOException {
        Path real = BindSources.verified(source, within);
        return mount(destination, "bind", real.toString(),
                List.of("rbind", readOnly ? "ro" : "rw", "nosuid", "nodev"));
    }

}

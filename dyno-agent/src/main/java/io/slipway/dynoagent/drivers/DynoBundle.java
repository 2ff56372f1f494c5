package io.slipway.dynoagent.drivers;

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
 * Writes the OCI bundle of one dyno, the way the build-worker's {@code OciBundle} does for builds: an empty
 * read-only root holding only mount points, the stack's {@code /usr /bin /sbin /lib /lib64 /etc} bind-mounted
 * read-only, {@code /app} a read-write bind of the dyno's unpacked slug (itself a sized file system), {@code /tmp}
 * a tmpfs of half the dyno's memory owned by the dyno user. New pid, ipc, uts and mount namespaces and the
 * dyno's own network namespace (made by the agent). The process runs as its app's own uid/gid, with no
 * capabilities, {@code no_new_privileges} and Docker's default seccomp profile, under a memory limit (without
 * swap) and a pids limit.
 */
final class DynoBundle {
    static final List<String> STACK_DIRS = List.of("usr", "bin", "sbin", "lib", "lib64", "etc");
    private static final Map<String, Object> SECCOMP = SeccompProfile.forCapabilities(Set.of());

    private DynoBundle() {}

    static void write(DynoSpec spec, Path stackRoot, Path bundle, Path netns) throws IOException {
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs);
        List<Object> mounts = new ArrayList<>(baseMounts());
        for (String dir : STACK_DIRS) {
            Path source = stackRoot.resolve(dir);
            Path point = rootfs.resolve(dir);
            if (Files.isSymbolicLink(source)) {
                // mirror the link (bin -> usr/bin on merged-/usr systems) so paths resolve as on the stack
                if (!Files.exists(point, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(point, Files.readSymbolicLink(source));
                }
            } else if (Files.isDirectory(source)) {
                Files.createDirectories(point);
                mounts.add(bind(source, stackRoot, "/" + dir, true));
            }
        }
        Path resolv = stackRoot.resolve("etc/resolv.conf");
        if (Files.isSymbolicLink(resolv) && Files.isRegularFile(Path.of("/etc/resolv.conf"))) {
            // e.g. systemd-resolved's link into /run, which the container does not have
            Path hostResolv = Path.of("/etc/resolv.conf").toRealPath(); // the host's own, not the tenant's
            mounts.add(bind(hostResolv, hostResolv, "/etc/resolv.conf", true));
        }
        for (String dir : List.of("proc", "dev", "sys", "tmp", "app")) Files.createDirectories(rootfs.resolve(dir));
        // tmpfs pages count against the dyno's memory: half of it leaves room to get ENOSPC, not the OOM killer
        mounts.add(tmp(spec, spec.uid(), spec.uid()));
        // /app must be the unpacked slug's own app/ directory, never where a link there points: its parent (the
        // agent's own directory the slug was unpacked into) is trusted, app/ itself must not be a link
        mounts.add(bind(spec.appDir(), spec.appDir().toAbsolutePath().normalize().getParent(), "/app", false));
        // volumes after /app, as they lie below it; runc resolves each destination inside the container's root, so a
        // link the app planted at the path cannot lead the mount out of it. Sources are the agent's own directories.
        for (DynoSpec.VolumeMount v : spec.volumes()) {
            mounts.add(bind(v.source(), v.source().toAbsolutePath().normalize().getParent(), v.path(), false));
        }

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ociVersion", "1.0.2-dev");
        config.put("process", process(spec));
        config.put("root", Map.of("path", rootfs.toAbsolutePath().toString(), "readonly", true));
        config.put("hostname", spec.dynoName().replaceAll("[^A-Za-z0-9.-]", "-"));
        config.put("mounts", mounts);
        config.put("linux", linux(spec, netns));
        Files.writeString(bundle.resolve("config.json"), Json.write(config), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> process(DynoSpec spec) {
        List<String> env = new ArrayList<>();
        LaunchScript.env(spec, "/app").forEach((k, v) -> env.add(k + "=" + v));
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", false);
        process.put("user", Map.of("uid", spec.uid(), "gid", spec.uid()));
        process.put("args", LaunchScript.args(spec.command(), spec.tty(), true));
        process.put("env", env);
        process.put("cwd", "/app");
        confine(process);
        return process;
    }

    /** What every dyno process gets, slug or image: no capabilities at all, no new privileges, Heroku's files. */
    static void confine(Map<String, Object> process) {
        List<String> none = List.of(); // app code gets no capabilities at all
        process.put("capabilities", Map.of("bounding", none, "effective", none, "permitted", none,
                "inheritable", none, "ambient", none));
        long files = openFilesLimit();
        process.put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "hard", files, "soft", files)));
        process.put("noNewPrivileges", true);
    }

    /** The dyno's {@code /tmp}: a tmpfs of half its memory (tmpfs pages count against it) owned by its user. */
    static Map<String, Object> tmp(DynoSpec spec, int uid, int gid) {
        return mount("/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777", "uid=" + uid,
                "gid=" + gid, "size=" + Math.max(16, spec.memoryBytes() >> 21) + "m"));
    }

    /** 10000 open files as on Heroku, within the agent's own hard limit. */
    static long openFilesLimit() {
        return OciDefaults.openFilesLimit(10_000);
    }

    static Map<String, Object> linux(DynoSpec spec, Path netns) {
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("devices", List.of(Map.of("allow", false, "access", "rwm")));
        // swap equal to the limit: no swap at all, so going over the limit means the OOM killer (R14/R15)
        resources.put("memory", Map.of("limit", spec.memoryBytes(), "swap", spec.memoryBytes()));
        resources.put("pids", Map.of("limit", spec.pids()));
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("resources", resources);
        List<Object> namespaces = new ArrayList<>(OciDefaults.NAMESPACES);
        namespaces.add(Map.of("type", "network", "path", netns.toString())); // the dyno's own, set up by the agent
        linux.put("namespaces", namespaces);
        linux.put("seccomp", SECCOMP);
        linux.put("maskedPaths", OciDefaults.MASKED_PATHS);
        linux.put("readonlyPaths", OciDefaults.READONLY_PATHS);
        return linux;
    }


    /** A bind of {@code source}, refused unless it resolves to itself under {@code within} (see BindSources). */
    static Map<String, Object> bind(Path source, Path within, String destination, boolean readOnly)
            throws IOException {
        Path real = BindSources.verified(source, within);
        return mount(destination, "bind", real.toString(),
                List.of("rbind", readOnly ? "ro" : "rw", "nosuid", "nodev"));
    }

}

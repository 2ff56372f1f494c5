package io.slipway.shared.oci;

import io.slipway.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's default seccomp profile (moby/profiles {@code seccomp/default.json}, Apache License 2.0, kept as the
 * resource {@code docker-default-seccomp.json}) turned into the OCI runtime config's {@code linux.seccomp} for
 * this machine's architecture and a process holding {@code capabilities}, the way Docker itself does: every
 * system call not on the allow-list fails with {@code EPERM}; entries that apply only to other architectures,
 * to capabilities the process lacks ({@code includes.caps}) or that a held capability replaces
 * ({@code excludes.caps}) are left out. The kernel-version conditions ({@code minKernel}) are kept: every
 * kernel runc supports here is newer than the profile's oldest condition.
 */
public final class SeccompProfile {
    private static final Map<String, String> ARCHES = Map.of("amd64", "amd64", "x86_64", "amd64",
            "aarch64", "arm64", "arm64", "arm64");
    private static final Map<String, String> SCMP_ARCH = Map.of("amd64", "SCMP_ARCH_X86_64",
            "arm64", "SCMP_ARCH_AARCH64");

    private SeccompProfile() {}

    /** The profile for a process with these capabilities (Slipway's containers hold none). */
    public static Map<String, Object> forCapabilities(Set<String> capabilities) {
        Map<String, Object> docker = load();
        String arch = ARCHES.getOrDefault(System.getProperty("os.arch", ""), "amd64");
        Map<String, Object> oci = new LinkedHashMap<>();
        oci.put("defaultAction", docker.get("defaultAction"));
        oci.put("defaultErrnoRet", docker.get("defaultErrnoRet"));
        oci.put("architectures", architectures(docker, SCMP_ARCH.get(arch)));
        List<Object> syscalls = new ArrayList<>();
        for (Object o : Json.array(docker.get("syscalls"))) {
            Map<String, Object> rule = Json.object(o);
            if (!applies(Json.object(rule.get("includes")), Json.object(rule.get("excludes")), arch, capabilities)) {
                continue;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("names", rule.get("names"));
            out.put("action", rule.get("action"));
            if (rule.get("errnoRet") != null) out.put("errnoRet", rule.get("errnoRet"));
            if (rule.get("args") != null) out.put("args", rule.get("args"));
            syscalls.add(out);
        }
        oci.put("syscalls", syscalls);
        return oci;
    }

    private static List<Object> architectures(Map<String, Object> docker, String main) {
        List<Object> out = new ArrayList<>();
        out.add(main);
        for (Object o : Json.array(docker.get("archMap"))) {
            Map<String, Object> entry = Json.object(o);
            if (main.equals(entry.get("architecture")) && entry.get("subArchitectures") != null) {
                out.addAll(Json.array(entry.get("subArchitectures")));
            }
        }
        return out;
    }

    private static boolean applies(Map<String, Object> includes, Map<String, Object> excludes, String arch,
                                   Set<String> capabilities) {
        if (includes.get("arches") != null && !Json.array(includes.get("arches")).contains(arch)) return false;
        if (includes.get("caps") != null) {
            for (Object cap : Json.array(includes.get("caps"))) if (!capabilities.contains(cap)) return false;
        }
        if (excludes.get("arches") != null && Json.array(excludes.get("arches")).contains(arch)) return false;
        if (excludes.get("caps") != null) {
            for (Object cap : Json.array(excludes.get("caps"))) if (capabilities.contains(cap)) return false;
        }
        return true;
    }

    private static Map<String, Object> load() {
        try (InputStream in = SeccompProfile.class.getResourceAsStream("docker-default-seccomp.json")) {
            if (in == null) throw new IllegalStateException("docker-default-seccomp.json is missing from the jar");
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.slipway.dynoagent.drivers;

import static io.slipway.shared.oci.OciDefaults.baseMounts;

import io.slipway.dynoagent.images.RootPaths;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the OCI bundle of an image dyno: the same sandbox as a slug dyno ({@link DynoBundle}: its own pid, ipc,
 * uts, mount and network namespaces, no capabilities, {@code no_new_privileges}, seccomp, memory and pids limits, a
 * {@code /tmp} tmpfs) but the root is the image's own file system, read-only, the process runs as the image's user
 * in the image's working directory, and the host's {@code /etc/resolv.conf} and {@code /etc/hosts} are bound over
 * the image's (plain files of the image only: never through a link of the tenant's). Volumes are bound at their
 * paths, which must be directories of the image (a read-only root cannot get new mount points).
 */
final class ImageBundle {
    private ImageBundle() {}

    static void write(DynoSpec spec, Path bundle, Path netns) throws IOException {
        DynoSpec.ImageRun image = spec.image();
        Files.createDirectories(bundle);
        List<Object> mounts = new ArrayList<>(baseMounts());
        mounts.add(DynoBundle.tmp(spec, image.uid(), image.gid()));
        for (String name : List.of("resolv.conf", "hosts")) {
            Path host = Path.of("/etc", name);
            if (!Files.isRegularFile(host) || !RootPaths.plainFile(image.root(), "etc/" + name)) continue;
            Path real = host.toRealPath(); // the host's own file, wherever its link leads
            mounts.add(DynoBundle.bind(real, real, "/etc/" + name, true));
        }
        for (DynoSpec.VolumeMount v : spec.volumes()) {
            if (!RootPaths.plainDirectory(image.root(), v.path())) {
                throw new IOException("the volume path " + v.path() + " is not a directory of the image: create it "
                        + "in the Dockerfile (RUN mkdir -p " + v.path() + ")");
            }
            mounts.add(DynoBundle.bind(v.source(), v.source().toAbsolutePath().normalize().getParent(), v.path(),
                    false));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ociVersion", "1.0.2-dev");
        config.put("process", process(spec));
        config.put("root", Map.of("path", image.root().toRealPath().toString(), "readonly", true));
        config.put("hostname", spec.dynoName().replaceAll("[^A-Za-z0-9.-]", "-"));
        config.put("mounts", mounts);
        config.put("linux", DynoBundle.linux(spec, netns));
        Files.writeString(bundle.resolve("config.json"), Json.write(config), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> process(DynoSpec spec) throws IOException {
        DynoSpec.ImageRun image = spec.image();
        List<String> args = LaunchScript.imageArgs(spec.command(), image.defaultCommand(), spec.tty());
        if (args.isEmpty()) {
            throw new IOException("the image has neither ENTRYPOINT nor CMD, and the process type has no command");
        }
        List<String> env = new ArrayList<>();
        LaunchScript.imageEnv(spec).forEach((k, v) -> env.add(k + "=" + v));
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", false);
        process.put("user", Map.of("uid", image.uid(), "gid", image.gid()));
        process.put("args", args);
        process.put("env", env);
        String cwd = image.workingDir();
        process.put("cwd", cwd == null || !cwd.startsWith("/") ? "/" : cwd);
        DynoBundle.confine(process);
        return process;
    }
}

package io.slipway.buildworker.images;

import io.slipway.shared.fs.TreeDelete;
import io.slipway.shared.json.Json;
import io.slipway.shared.sandbox.SizedDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a killed Buildah leaves behind: the runc container of the RUN step it was running (stopped, never
 * deleted) and that container's bundle directory in Buildah's TMPDIR. The worker gives Buildah a TMPDIR of its
 * own, so only those are touched: a stopped container whose bundle lies in it is deleted with its bundle, unless
 * something is still mounted below the bundle. Running containers (another build's step) are never touched.
 */
final class KilledStepLeftovers {
    private static final System.Logger LOG = System.getLogger(KilledStepLeftovers.class.getName());

    private KilledStepLeftovers() {}

    static void sweep(Path tmpDir) {
        Path tmp = tmpDir.toAbsolutePath().normalize();
        try {
            List<String> mounts = SizedDisk.mountPoints();
            for (Object o : Json.array(Json.parse(runcList()))) {
                Map<String, Object> c = Json.object(o);
                Object id = c.get("id");
                Object bundle = c.get("bundle");
                if (!"stopped".equals(c.get("status")) || id == null || bundle == null) continue;
                Path dir = Path.of(bundle.toString()).toAbsolutePath().normalize();
                if (!dir.startsWith(tmp) || dir.equals(tmp)) continue;
                run("runc", "delete", "--force", id.toString());
                if (mounts.stream().noneMatch(m -> m.startsWith(dir + "/") || m.equals(dir.toString()))) {
                    TreeDelete.deleteOrThrow(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove what a killed Dockerfile build left: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String runcList() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("runc", "list", "--format", "json")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        return out.isEmpty() ? "null" : out;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    }
}

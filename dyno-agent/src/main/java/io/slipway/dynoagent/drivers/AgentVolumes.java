package io.slipway.dynoagent.drivers;

import io.slipway.shared.sandbox.SizedDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;

/**
 * The volumes this agent holds, {@code <data dir>/volumes/<id>/}: each an ext4 image ({@code <id>.img} next to
 * it) loop-mounted once and bound into every dyno using it. The mount is kept across dynos (a restart, a deploy)
 * and released when the agent stops cleanly; the image, which is the data, stays until the volume is deleted.
 */
final class AgentVolumes {
    private static final Logger LOG = Logger.getLogger(AgentVolumes.class.getName());
    private final Path root;

    AgentVolumes(Path dataDir) {
        this.root = dataDir.toAbsolutePath().normalize().resolve("volumes");
    }

    /** Mounts the volume (made on first use) and answers its directory. */
    synchronized Path mount(String volumeId, long bytes, int uid) throws IOException {
        Path dir = dir(volumeId);
        SizedDisk.mountKeeping(image(dir, volumeId), dir, bytes, uid, uid);
        return dir;
    }

    List<String> ids() {
        if (!Files.isDirectory(root)) return List.of();
        try (var files = Files.list(root)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".img"))
                    .map(n -> n.substring(0, n.length() - 4)).filter(AgentVolumes::isUuid).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    synchronized void delete(String volumeId) {
        try {
            Path dir = dir(volumeId);
            SizedDisk.unmount(image(dir, volumeId), dir);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warning("cannot delete volume " + volumeId + ": " + e.getMessage());
        }
    }

    /**
     * Unmounts every volume but those in {@code inUse} (directories bound into a dyno still running), keeping
     * their images. Unmounting a {@code mount -o loop} mount detaches its loop device (the kernel's autoclear);
     * without this each volume held a mount and a loop device until the host rebooted. A volume in use stays:
     * a lazy unmount would leave the dyno writing to it while the next mount of the same image (a second loop
     * device on one ext4 file system) corrupts it.
     */
    synchronized void unmountAllBut(Collection<Path> inUse) {
        for (String id : ids()) {
            Path dir = root.resolve(id);
            if (inUse.contains(dir) || !SizedDisk.isMountPoint(dir)) continue;
            if (!SizedDisk.unmountKeeping(dir)) LOG.warning("cannot unmount volume " + id + " (busy?)");
        }
    }

    private Path dir(String volumeId) throws IOException {
        // the id comes from the api-server's assignment and names a directory here: only a plain UUID is taken
        if (!isUuid(volumeId)) throw new IOException("not a volume id: " + volumeId);
        return root.resolve(volumeId);
    }

    private static Path image(Path dir, String volumeId) {
        return dir.resolveSibling(volumeId + ".img");
    }

    private static boolean isUuid(String s) {
        return s != null && s.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}

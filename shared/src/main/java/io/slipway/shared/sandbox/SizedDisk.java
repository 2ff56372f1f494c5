package io.slipway.shared.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A directory that cannot grow past a size: an ext4 file system in a sparse image file, loop-mounted
 * ({@code nosuid,nodev}). Writing past the size fails with {@code ENOSPC} inside it and never fills the host's
 * disk; the image only takes the blocks actually written. Used for a dyno's {@code /app} and a build's
 * directories. Needs root, {@code mkfs.ext4} (e2fsprogs) and loop devices.
 */
public final class SizedDisk {
    private SizedDisk() {}

    /**
     * Creates {@code image} of {@code bytes} and mounts it on {@code mountPoint} (created when missing), its root
     * owned by {@code uid:gid}.
     */
    public static void mount(Path image, Path mountPoint, long bytes, int uid, int gid) throws IOException {
        Files.createDirectories(mountPoint);
        Files.deleteIfExists(image);
        try (var file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(bytes); // sparse: the host pays for what is written only
        }
        HostCommand.run(List.of("mkfs.ext4", "-q", "-F", "-m", "0", "-O", "^has_journal",
                "-E", "root_owner=" + uid + ":" + gid + ",nodiscard", image.toString()), null);
        HostCommand.run(List.of("mount", "-o", "loop,nosuid,nodev", image.toString(), mountPoint.toString()), null);
        // mkfs leaves a lost+found the app does not expect in /app
        Path lostFound = mountPoint.resolve("lost+found");
        if (Files.isDirectory(lostFound, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.delete(lostFound);
    }

    /**
     * Mounts {@code image} on {@code mountPoint} keeping what it holds, making it first (as {@link #mount}) when
     * there is none: a volume's data outlives every dyno that used it. A mount point already mounted is left as is.
     */
    public static void mountKeeping(Path image, Path mountPoint, long bytes, int uid, int gid) throws IOException {
        if (isMountPoint(mountPoint)) return;
        if (!Files.isRegularFile(image, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            mount(image, mountPoint, bytes, uid, gid);
            return;
        }
        Files.createDirectories(mountPoint);
        HostCommand.run(List.of("mount", "-o", "loop,nosuid,nodev", image.toString(), mountPoint.toString()), null);
    }

    /**
     * Unmounts (lazily, should a process still hold it) and deletes the image; quiet when not mounted. The loop
     * device is detached when the last user of the file system is gone ({@code mount -o loop} sets autoclear).
     */
    public static void unmount(Path image, Path mountPoint) {
        if (isMountPoint(mountPoint)) HostCommand.quietly(List.of("umount", "-l", mountPoint.toString()));
        try {
            Files.deleteIfExists(image);
        } catch (IOException e) {
            // removed with its directory
        }
    }

    /**
     * Unmounts {@code mountPoint} and keeps its image: the data is mounted again later. Not lazy, so a file system
     * something still holds open stays mounted (answers false) rather than being detached under it. The loop
     * device goes with the mount ({@code mount -o loop} sets autoclear).
     */
    public static boolean unmountKeeping(Path mountPoint) {
        try {
            HostCommand.run(List.of("umount", mountPoint.toString()), null);
            return true;
        } catch (IOException e) {
            return !isMountPoint(mountPoint);
        }
    }

    /** Unmounts every mount below {@code dir}: what a crashed owner left behind. */
    public static void unmountAllUnder(Path dir) {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        for (String point : mountPoints().stream().filter(p -> p.startsWith(prefix))
                .sorted(Comparator.reverseOrder()).toList()) {
            HostCommand.quietly(List.of("umount", "-l", point));
        }
    }

    public static boolean isMountPoint(Path dir) {
        return mountPoints().contains(dir.toAbsolutePath().normalize().toString());
    }

    /** Every mount point this process sees, as paths (empty where there is no /proc/self/mountinfo). */
    public static List<String> mountPoints() {
        List<String> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 4) points.add(f[4].replace("\\040", " "));
            }
        } catch (IOException e) {
            // not Linux: nothing is mounted by us
        }
        return points;
    }
}

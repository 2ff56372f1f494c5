package io.slipway.dynoagent.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What runc needs in an image's root before it becomes read-only: the directories the container's own file
 * systems are mounted on ({@code /proc /dev /sys /tmp}) and the files the host's name resolution is bound onto
 * ({@code /etc/resolv.conf}, {@code /etc/hosts}); runc cannot create them in a read-only root. Only what is
 * missing is made; whatever the image has at those paths stays, and nothing is made through its links.
 */
final class MountPoints {
    static final List<String> DIRECTORIES = List.of("proc", "dev", "sys", "tmp");
    static final List<String> ETC_FILES = List.of("resolv.conf", "hosts");

    private MountPoints() {}

    static void prepare(Path root) throws IOException {
        for (String name : DIRECTORIES) {
            Path p = root.resolve(name);
            if (attributes(p) == null) {
                Files.createDirectory(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path etc = root.resolve("etc");
        BasicFileAttributes etcAttrs = attributes(etc);
        if (etcAttrs == null) {
            Files.createDirectory(etc);
            Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else if (!etcAttrs.isDirectory()) {
            return; // a link or a file: the image's business, nothing is bound there
        }
        for (String name : ETC_FILES) {
            Path p = etc.resolve(name);
            if (attributes(p) == null) {
                Files.createFile(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        return RootPaths.attributes(p);
    }
}

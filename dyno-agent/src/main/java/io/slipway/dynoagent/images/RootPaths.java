package io.slipway.dynoagent.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Looks at paths inside an image's root the way the tenant cannot subvert: walked one component at a time from
 * the root without following any link, so a tenant's {@code /etc -> /} or {@code /etc/passwd -> /host/file} is
 * seen as a link (not what it points to), never as the file the agent wanted.
 */
public final class RootPaths {
    private RootPaths() {}

    /** True when {@code relative} (slash separated) is a regular file of the root, reached without any link. */
    public static boolean plainFile(Path root, String relative) throws IOException {
        BasicFileAttributes a = walk(root, relative);
        return a != null && a.isRegularFile();
    }

    /** True when {@code relative} is a directory of the root, reached without any link. */
    public static boolean plainDirectory(Path root, String relative) throws IOException {
        BasicFileAttributes a = walk(root, relative);
        return a != null && a.isDirectory();
    }

    /** The attributes of {@code relative} when reached without any link or {@code ..}; else null. */
    private static BasicFileAttributes walk(Path root, String relative) throws IOException {
        Path current = root;
        BasicFileAttributes attrs = null;
        for (String part : relative.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) return null;
            if (attrs != null && !attrs.isDirectory()) return null;
            current = current.resolve(part);
            attrs = attributes(current);
            if (attrs == null || attrs.isSymbolicLink()) return null;
        }
        return attrs;
    }

    /** The path's own attributes (a link's, not its target's), or null when there is nothing. */
    static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }
}

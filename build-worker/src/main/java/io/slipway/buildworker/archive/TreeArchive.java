package io.slipway.buildworker.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Packs a directory tree into a {@code .tar.gz}: entries sorted by name (the same tree always gives the same
 * listing), symlinks kept as links (never followed), owners and modes as on disk, and the file's SHA-256 computed
 * while writing.
 */
public final class TreeArchive {
    private TreeArchive() {}

    /** The written archive's size and checksum ({@code SHA256:<hex>}, the form the api-server stores). */
    public record Written(long size, String checksum) {}

    /**
     * @param prefix put before every entry name: {@code "./app/"} for slugs (Heroku's layout), {@code "./"} for caches
     * @param exclude relative, slash-separated paths to leave out (a directory left out takes its contents along)
     */
    public static Written write(Path dir, String prefix, Predicate<String> exclude, Path target) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream file = Files.newOutputStream(target);
             DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file, 64 * 1024), sha);
             TarWriter tar = new TarWriter(new GZIPOutputStream(digest, 64 * 1024))) {
            if (!prefix.equals("./") && !prefix.isEmpty()) {
                PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class);
                tar.directory(prefix, mode(attrs.permissions()), uid(dir), gid(dir),
                        attrs.lastModifiedTime().toMillis() / 1000);
            }
            walk(dir, dir, prefix, exclude, tar);
        }
        return new Written(Files.size(target), "SHA256:" + HexFormat.of().formatHex(sha.digest()));
    }

    private static void walk(Path root, Path dir, String prefix, Predicate<String> exclude, TarWriter tar)
            throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String relative = root.relativize(child).toString();
            if (exclude.test(relative)) continue;
            String name = prefix + relative;
            PosixFileAttributes attrs = Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long mtime = attrs.lastModifiedTime().toMillis() / 1000;
            int uid = uid(child);
            int gid = gid(child);
            if (attrs.isSymbolicLink()) {
                tar.symlink(name, Files.readSymbolicLink(child).toString(), uid, gid, mtime);
            } else if (attrs.isDirectory()) {
                tar.directory(name, mode(attrs.permissions()), uid, gid, mtime);
                walk(root, child, prefix, exclude, tar);
            } else if (attrs.isRegularFile()) {
                tar.file(name, child, mode(attrs.permissions()), uid, gid, mtime);
            }
            // sockets, FIFOs and devices left by a build are not part of an app
        }
    }

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static int gid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }
}

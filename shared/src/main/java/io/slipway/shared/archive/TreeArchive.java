package io.slipway.shared.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Packs a directory tree into a {@code .tar.gz}: entries sorted by name (the same tree always gives the same
 * listing), symlinks stored as symlinks and never followed, files opened without following links, owners and
 * modes as on disk (setuid and setgid dropped), sockets, FIFOs and devices left out. The tree may be a tenant's
 * (a built app, a build cache): nothing in it can make the packer read a file outside it.
 */
public final class TreeArchive {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private TreeArchive() {}

    /** The written archive's size and checksum ({@code SHA256:<hex>}, the form the api-server stores). */
    public record Written(long size, String checksum) {}

    /**
     * @param prefix put before every entry name: {@code "./app/"} for slugs (Heroku's layout), {@code "./"} for
     *        caches, {@code ""} for repositories
     * @param exclude relative, slash-separated paths to leave out (a directory left out takes its contents along)
     */
    public static Written write(Path dir, String prefix, Predicate<String> exclude, Path target) throws IOException {
        TarGzWriter tar;
        try (OutputStream file = Files.newOutputStream(target)) {
            tar = new TarGzWriter(file);
            try (tar) {
                PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, NOFOLLOW);
                if (!attrs.isDirectory()) throw new IOException(dir + " is not a directory");
                if (!prefix.equals("./") && !prefix.isEmpty()) {
                    tar.directory(prefix, Modes.mode(attrs.permissions()), owner(dir),
                            attrs.lastModifiedTime().toMillis() / 1000);
                }
                walk(dir, dir, prefix, exclude, tar);
            }
        }
        return new Written(Files.size(target), tar.checksum());
    }

    private static void walk(Path root, Path dir, String prefix, Predicate<String> exclude, TarGzWriter tar)
            throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String relative = root.relativize(child).toString();
            if (exclude.test(relative)) continue;
            String name = prefix + relative;
            PosixFileAttributes attrs = Files.readAttributes(child, PosixFileAttributes.class, NOFOLLOW);
            long mtime = attrs.lastModifiedTime().toMillis() / 1000;
            int mode = Modes.mode(attrs.permissions());
            if (attrs.isSymbolicLink()) {
                tar.symlink(name, Files.readSymbolicLink(child).toString(), owner(child), mtime);
            } else if (attrs.isDirectory()) {
                tar.directory(name, mode, owner(child), mtime);
                walk(root, child, prefix, exclude, tar);
            } else if (attrs.isRegularFile()) {
                tar.file(name, child, mode, owner(child));
            }
            // sockets, FIFOs and devices are not part of an app
        }
    }

    private static TarGzWriter.Owner owner(Path p) throws IOException {
        return new TarGzWriter.Owner((Integer) Files.getAttribute(p, "unix:uid", NOFOLLOW),
                (Integer) Files.getAttribute(p, "unix:gid", NOFOLLOW));
    }
}

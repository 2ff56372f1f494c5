package io.slipway.shared.archive;

import io.slipway.shared.archive.SafeUntar.UnsafeArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.HashSet;
import java.util.Set;

/**
 * The directory an archive is unpacked into, built one entry at a time against the real file system, never
 * lexically: every existing component of an entry's path is looked at without following links, and a symlink
 * or a file where a directory should be refuses the entry. So nothing is ever written, created or linked through
 * a symlink, whatever chain of links the archive made earlier. Symlinks themselves may point anywhere: the
 * extractor never follows them (the dyno or build that later uses them runs inside its container). Hard links
 * may only name a regular file this archive already wrote. What is written is owned by the policy's user and
 * never keeps setuid, setgid or sticky bits.
 */
final class ExtractionTarget {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final Path root;
    private final ExtractionPolicy policy;
    /** Regular files this extraction wrote (relative names): the only files a hard link may name. */
    private final Set<String> written = new HashSet<>();
    /**
     * Directories already checked (relative names). A checked directory stays one: no entry may replace a
     * directory, and nothing else writes here while the archive is unpacked, so it is not looked at again.
     */
    private final Set<String> directories = new HashSet<>();
    /**
     * An OCI layer applied onto the layers below it ({@link OciLayer}): an entry replaces whatever is at its path
     * (a directory and its tree, a file, a link: removed without following anything), and what is written keeps
     * the archive's owner (the entry's, set by {@link #entryOwner}) instead of the policy's.
     */
    private final boolean layer;
    private long entryUid = -1;
    private long entryGid = -1;

    ExtractionTarget(Path root, ExtractionPolicy policy) throws IOException {
        this(root, policy, false);
    }

    ExtractionTarget(Path root, ExtractionPolicy policy, boolean layer) throws IOException {
        this.layer = layer;
        Files.createDirectories(root);
        BasicFileAttributes attrs = Files.readAttributes(root, BasicFileAttributes.class, NOFOLLOW);
        if (!attrs.isDirectory()) throw new IOException("cannot unpack into " + root + ": not a directory");
        this.root = root.toRealPath();
        this.policy = policy;
    }

    Path root() {
        return root;
    }

    /**
     * The entry's name as relative components; empty for the archive's root itself ({@code ./}).
     * Absolute names, {@code ..} and NUL bytes are refused, whatever follows them.
     */
    static String relative(String name) throws UnsafeArchiveException {
        if (name.indexOf('\0') >= 0) throw new UnsafeArchiveException("entry name contains NUL");
        if (name.startsWith("/")) throw new UnsafeArchiveException("entry " + name + " has an absolute path");
        StringBuilder out = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) throw new UnsafeArchiveException("entry " + name + " contains '..'");
            if (out.length() > 0) out.append('/');
            out.append(part);
        }
        return out.toString();
    }

    void directory(String relative, int mode, FileTime mtime) throws IOException {
        Path dir = parent(relative, true).resolve(last(relative));
        BasicFileAttributes attrs = attributes(dir);
        if (attrs == null) {
            Files.createDirectory(dir);
            owned(dir);
        } else if (!attrs.isDirectory() && layer) {
            remove(relative); // a layer may turn a file or a link into a directory: the old entry goes, unfollowed
            Files.createDirectory(dir);
            owned(dir);
        } else if (!attrs.isDirectory()) {
            throw new UnsafeArchiveException("directory " + relative + " would replace "
                    + (attrs.isSymbolicLink() ? "a symlink" : "a file"));
        }
        permissions(dir, mode | 0700);
        times(dir, mtime);
    }

    /** Writes exactly {@code size} bytes of {@code data} into a new file (O_EXCL: never through a link). */
    void file(String relative, int mode, FileTime mtime, InputStream data, long size) throws IOException {
        Path file = parent(relative, true).resolve(last(relative));
        clear(file, relative);
        long copied;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                NOFOLLOW)) {
            copied = data.transferTo(out);
        }
        if (copied != size) {
            throw new SafeUntar.CorruptArchiveException("entry " + relative + " is truncated");
        }
        owned(file);
        permissions(file, mode | 0400);
        times(file, mtime);
        written.add(relative);
    }

    /** A symlink with any target: never followed here, and nothing is ever written through it. */
    void symlink(String relative, String target) throws IOException {
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new UnsafeArchiveException("symlink " + relative + " has no valid target");
        }
        Path link = parent(relative, true).resolve(last(relative));
        clear(link, relative);
        Files.createSymbolicLink(link, Path.of(target));
        owned(link);
        written.remove(relative);
    }

    /** A hard link to a regular file this archive wrote earlier, found without following any link. */
    void hardLink(String relative, String targetName) throws IOException {
        String target = relative(targetName);
        Path source = target.isEmpty() ? null : parent(target, false).resolve(last(target));
        BasicFileAttributes attrs = source == null ? null : attributes(source);
        if (attrs == null || !attrs.isRegularFile() || !written.contains(target)) {
            throw new UnsafeArchiveException("hard link " + relative + " must name a regular file extracted "
                    + "before it (" + targetName + ")");
        }
        Path link = parent(relative, true).resolve(last(relative));
        clear(link, relative);
        Files.createLink(link, source);
        written.add(relative);
    }

    /**
     * The directory that holds {@code relative}, walked from the root one component at a time without following
     * links: a missing component is created (when {@code create}), a symlink or non-directory refuses the entry.
     */
    private Path parent(String relative, boolean create) throws IOException {
        Path current = root;
        String[] parts = relative.split("/");
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            Path next = current.resolve(parts[i]);
            if (i > 0) name.append('/');
            name.append(parts[i]);
            if (directories.contains(name.toString())) {
                current = next;
                continue;
            }
            BasicFileAttributes attrs = attributes(next);
            if (attrs == null) {
                if (!create) throw new UnsafeArchiveException("entry " + relative + " names a missing directory");
                Files.createDirectory(next);
                owned(next);
                permissions(next, 0755);
            } else if (attrs.isSymbolicLink()) {
                throw new UnsafeArchiveException("entry " + relative + " goes through the symlink "
                        + String.join("/", java.util.Arrays.copyOf(parts, i + 1)));
            } else if (!attrs.isDirectory()) {
                throw new UnsafeArchiveException("entry " + relative + " goes through a file");
            }
            directories.add(name.toString());
            current = next;
        }
        return current;
    }

    /** Makes room for a new file or link: an old file or link goes (unlinked, not followed), a directory stays. */
    private void clear(Path path, String relative) throws IOException {
        BasicFileAttributes attrs = attributes(path);
        if (attrs == null) return;
        if (attrs.isDirectory() && layer) {
            remove(relative);
            return;
        }
        if (attrs.isDirectory()) throw new UnsafeArchiveException("entry " + relative + " would replace a directory");
        Files.delete(path);
        written.remove(relative);
    }

    /** The owner of the next entry written in layer mode (the archive's own numbers). */
    void entryOwner(long uid, long gid) {
        entryUid = uid;
        entryGid = gid;
    }

    /**
     * Deletes whatever is at {@code relative} (a directory with its whole tree), never following a link: the path
     * is walked from the root as for writing, and a missing or linked parent means there is nothing of ours to
     * delete. The directories checked so far below it are forgotten, so a link put in a removed directory's place
     * is seen as one.
     */
    void remove(String relative) throws IOException {
        if (relative.isEmpty()) {
            clearDirectory(relative);
            return;
        }
        Path parent;
        try {
            parent = parent(relative, false);
        } catch (UnsafeArchiveException missingOrLinked) {
            return;
        }
        Path path = parent.resolve(last(relative));
        BasicFileAttributes attrs = attributes(path);
        if (attrs == null) return;
        if (attrs.isDirectory()) clearDirectory(relative);
        Files.delete(path);
        forget(relative);
    }

    /** Empties a directory (an opaque whiteout): its entries go, unfollowed; the directory itself stays. */
    void clearDirectory(String relative) throws IOException {
        Path dir;
        if (relative.isEmpty()) {
            dir = root;
        } else {
            try {
                dir = parent(relative, false).resolve(last(relative));
            } catch (UnsafeArchiveException missingOrLinked) {
                return;
            }
            BasicFileAttributes attrs = attributes(dir);
            if (attrs == null || !attrs.isDirectory()) return;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) io.slipway.shared.fs.TreeDelete.deleteOrThrow(p);
        }
        String prefix = relative.isEmpty() ? "" : relative + "/";
        directories.removeIf(d -> d.startsWith(prefix));
        written.removeIf(w -> w.startsWith(prefix));
    }

    private void forget(String relative) {
        directories.removeIf(d -> d.equals(relative) || d.startsWith(relative + "/"));
        written.removeIf(w -> w.equals(relative) || w.startsWith(relative + "/"));
    }

    private static String last(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private void owned(Path path) throws IOException {
        if (layer) {
            // an image keeps its files' owners (its user's files are its own); ids outside int are refused
            if (entryUid < 0 || entryGid < 0 || entryUid > Integer.MAX_VALUE || entryGid > Integer.MAX_VALUE) {
                throw new UnsafeArchiveException("entry " + path.getFileName() + " has an invalid owner");
            }
            Files.setAttribute(path, "unix:uid", (int) entryUid, NOFOLLOW);
            Files.setAttribute(path, "unix:gid", (int) entryGid, NOFOLLOW);
            return;
        }
        if (!policy.setsOwner()) return;
        Files.setAttribute(path, "unix:uid", policy.uid(), NOFOLLOW);
        Files.setAttribute(path, "unix:gid", policy.gid(), NOFOLLOW);
    }

    /** Only the nine permission bits: setuid, setgid and sticky never come from an archive. */
    private static void permissions(Path path, int mode) throws IOException {
        Files.getFileAttributeView(path, PosixFileAttributeView.class, NOFOLLOW).setPermissions(Modes.permissions(mode));
    }

    private static void times(Path path, FileTime mtime) throws IOException {
        if (mtime == null || mtime.toMillis() <= 0) return;
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW).setTimes(mtime, null, null);
    }
}

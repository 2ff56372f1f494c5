package io.slipway.shared.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes the platform's {@code .tar.gz} files (slugs, build caches, source tarballs, repositories) with Apache
 * Commons Compress: POSIX (pax) headers for long or non-ASCII names and big numbers, so GNU tar, bsdtar and
 * Heroku's tools read them. The SHA-256 of the compressed bytes is computed while writing.
 */
public final class TarGzWriter implements AutoCloseable {
    private static final int DIR = 040000;
    private static final int FILE = 0100000;
    private final DigestOutputStream digest;
    private final TarArchiveOutputStream tar;
    private boolean closed;

    public TarGzWriter(OutputStream out) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest = new DigestOutputStream(new BufferedOutputStream(out, 64 * 1024), sha);
        try {
            tar = new TarArchiveOutputStream(new GZIPOutputStream(digest, 64 * 1024), "UTF-8");
        } catch (IOException e) {
            throw new IllegalStateException(e); // the gzip header goes into a buffer
        }
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** Who an entry belongs to in the archive. */
    public record Owner(int uid, int gid) {
        public static final Owner ROOT = new Owner(0, 0);
    }

    public void directory(String name, int mode, Owner owner, long mtimeSeconds) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        e.setMode(DIR | (mode & 07777));
        put(e, owner, mtimeSeconds);
        tar.closeArchiveEntry();
    }

    public void symlink(String name, String target, Owner owner, long mtimeSeconds) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        put(e, owner, mtimeSeconds);
        tar.closeArchiveEntry();
    }

    /** Exactly {@code size} bytes of {@code content}; fewer or more fails the archive. */
    public void file(String name, int mode, Owner owner, long mtimeSeconds, long size, InputStream content)
            throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setMode(FILE | (mode & 07777));
        e.setSize(size);
        put(e, owner, mtimeSeconds);
        long copied = content.transferTo(tar); // Commons Compress refuses bytes past the declared size
        if (copied != size) throw new IOException(name + ": expected " + size + " bytes, read " + copied);
        tar.closeArchiveEntry();
    }

    /**
     * A regular file from disk, opened without following a link (a file swapped for a symlink is refused, never
     * read through), and only when it is a regular file.
     */
    public void file(String name, Path source, int mode, Owner owner) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isRegularFile()) throw new IOException(source + " is not a regular file");
        try (InputStream in = Files.newInputStream(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            file(name, mode, owner, attrs.lastModifiedTime().toMillis() / 1000, attrs.size(), in);
        }
    }

    /** Ends the archive and the gzip stream and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        tar.close();
    }

    /** {@code SHA256:<hex>} of the compressed bytes written; only after {@link #close()}. */
    public String checksum() {
        if (!closed) throw new IllegalStateException("the archive is still open");
        return "SHA256:" + HexFormat.of().formatHex(digest.getMessageDigest().digest());
    }

    private void put(TarArchiveEntry e, Owner owner, long mtimeSeconds) throws IOException {
        e.setUserId(owner.uid());
        e.setGroupId(owner.gid());
        e.setUserName(owner.uid() == 0 ? "root" : "");
        e.setGroupName(owner.gid() == 0 ? "root" : "");
        e.setModTime(FileTime.fromMillis(Math.max(0, mtimeSeconds) * 1000));
        tar.putArchiveEntry(e);
    }
}

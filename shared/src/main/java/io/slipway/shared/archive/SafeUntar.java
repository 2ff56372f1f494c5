package io.slipway.shared.archive;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The platform's one way to unpack a tar archive (sources, buildpack tarballs and build caches in the
 * build-worker, slugs in the dyno-agent, repositories in the git-gateway): Apache Commons Compress reads the
 * format (ustar, pax, GNU), {@link ExtractionTarget} builds the tree against the real file system under the
 * {@link ExtractionPolicy}. Every archive is untrusted input; the first entry that breaks the policy stops the
 * extraction with an {@link UnsafeArchiveException} naming it (what was written before it stays, inside the
 * target: callers unpack into a fresh directory and delete it on failure).
 */
public final class SafeUntar {
    private SafeUntar() {}

    /** The archive broke a safety rule or a limit; the message names the entry. */
    public static final class UnsafeArchiveException extends IOException {
        public UnsafeArchiveException(String message) { super(message); }
    }

    /** The archive is not a readable tar.gz (truncated, not gzip, bad header checksum). */
    public static final class CorruptArchiveException extends IOException {
        public CorruptArchiveException(String message) { super(message); }
    }

    /**
     * @param entries how many entries were unpacked
     * @param globalComment the pax global header's {@code comment}: {@code git archive} puts the commit sha there
     */
    public record Result(long entries, long bytes, String globalComment) {}

    public static Result extract(Path archive, Path dest, ExtractionPolicy policy) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return extract(in, dest, policy);
        }
    }

    /** Unpacks a gzipped tar stream. */
    public static Result extract(InputStream gzipped, Path dest, ExtractionPolicy policy) throws IOException {
        InputStream in;
        try {
            in = new GZIPInputStream(gzipped, 64 * 1024);
        } catch (ZipException | EOFException e) {
            throw new CorruptArchiveException("not a gzip file");
        }
        try {
            return extractTar(new BufferedInputStream(in, 64 * 1024), dest, policy);
        } catch (ZipException e) {
            throw new CorruptArchiveException("gzip data is corrupt (" + e.getMessage() + ")");
        }
    }

    /** Unpacks an uncompressed tar stream. */
    public static Result extractTar(InputStream tarStream, Path dest, ExtractionPolicy policy) throws IOException {
        return extractTar(tarStream, new ExtractionTarget(dest, policy), policy, null);
    }

    /** Opens a layer or archive stream: gzip-decompressed when {@code gzip}, else as it is. */
    static InputStream open(InputStream raw, boolean gzip) throws IOException {
        if (!gzip) return new BufferedInputStream(raw, 64 * 1024);
        try {
            return new BufferedInputStream(new GZIPInputStream(raw, 64 * 1024), 64 * 1024);
        } catch (ZipException | EOFException e) {
            throw new CorruptArchiveException("not a gzip file");
        }
    }

    /** What a layer's entry is besides a file system entry: a whiteout, handled before the layer is written. */
    interface EntryFilter {
        /** True when {@code relative} is not to be written as an entry (the filter dealt with it). */
        boolean handled(String relative, TarArchiveEntry entry) throws IOException;
    }

    static Result extractTar(InputStream tarStream, ExtractionTarget target, ExtractionPolicy policy,
                             EntryFilter filter) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(tarStream);
        long entries = 0;
        long bytes = 0;
        String comment = null;
        try {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isGlobalPaxHeader() || entry.isPaxHeader()) continue;
                if (comment == null) comment = entry.getExtraPaxHeader("comment");
                String relative = ExtractionTarget.relative(entry.getName());
                if (relative.isEmpty()) continue; // "./" itself: the target is the caller's directory
                if (filter != null && filter.handled(relative, entry)) continue;
                target.entryOwner(entry.getLongUserId(), entry.getLongGroupId());
                if (++entries > policy.maxEntries()) {
                    throw new UnsafeArchiveException("the archive has more than " + policy.maxEntries() + " entries");
                }
                byte type = entry.getLinkFlag();
                switch (type) {
                    case TarConstants.LF_NORMAL, TarConstants.LF_OLDNORM, TarConstants.LF_CONTIG -> {
                        long size = entry.getSize();
                        if (size < 0 || size > policy.maxBytes() - bytes) {
                            throw new UnsafeArchiveException("the archive unpacks to more than " + policy.maxBytes()
                                    + " bytes (entry " + relative + " declares " + size + ")");
                        }
                        bytes += size;
                        target.file(relative, entry.getMode(), entry.getLastModifiedTime(), tar, size);
                    }
                    case TarConstants.LF_DIR -> target.directory(relative, entry.getMode(), entry.getLastModifiedTime());
                    case TarConstants.LF_SYMLINK -> target.symlink(relative, entry.getLinkName());
                    case TarConstants.LF_LINK -> target.hardLink(relative, entry.getLinkName());
                    case TarConstants.LF_CHR, TarConstants.LF_BLK ->
                            throw new UnsafeArchiveException("entry " + relative + " is a device file");
                    case TarConstants.LF_FIFO -> throw new UnsafeArchiveException("entry " + relative + " is a FIFO");
                    default -> throw new UnsafeArchiveException("entry " + relative + " has the unsupported type '"
                            + (char) type + "'");
                }
            }
        } catch (UnsafeArchiveException | CorruptArchiveException e) {
            throw e;
        } catch (ZipException e) {
            throw new CorruptArchiveException("gzip data is corrupt (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new CorruptArchiveException("the archive is truncated");
        } catch (IllegalArgumentException e) {
            throw new CorruptArchiveException("bad tar header (" + e.getMessage() + ")");
        } catch (IOException e) {
            if (e instanceof java.nio.file.FileSystemException || e instanceof ZipException) throw e;
            // Commons Compress reports format problems (checksums, numbers, truncation) as plain IOExceptions
            throw new CorruptArchiveException("not a valid tar archive (" + e.getMessage() + ")");
        }
        return new Result(entries, bytes, comment);
    }
}

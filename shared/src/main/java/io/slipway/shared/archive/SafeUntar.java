package io.slipway.shared.archive;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Unpacks a {@code .tar.gz} (ustar, pax and GNU long names, as written by {@code git archive}, GNU tar and
 * Slipway itself) into a directory, refusing anything that could write outside it: absolute names, {@code ..},
 * links whose target leaves the directory, and writes through a symlink that resolves outside it (every parent
 * directory is checked by its real path before a file is created). Device files and FIFOs are skipped; setuid
 * bits are dropped. Sources, buildpack tarballs, build caches (build-worker) and slugs (dyno-agent) are all untrusted input, so all go through here.
 */
public final class SafeUntar {
    private static final int BLOCK = 512;

    private SafeUntar() {}

    /** The archive broke a safety rule; the message names the entry. */
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

    public static Result extract(Path archive, Path dest, long maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return extract(in, dest, maxBytes);
        }
    }

    public static Result extract(InputStream gzipped, Path dest, long maxBytes) throws IOException {
        Files.createDirectories(dest);
        Path root = dest.toRealPath();
        InputStream in;
        try {
            in = new BufferedInputStream(new GZIPInputStream(gzipped, 64 * 1024), 64 * 1024);
        } catch (ZipException | EOFException e) {
            throw new CorruptArchiveException("not a gzip file");
        }
        try {
            return new Reader(in, root, maxBytes).run();
        } catch (ZipException e) {
            throw new CorruptArchiveException("gzip data is corrupt (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new CorruptArchiveException("the archive is truncated");
        }
    }

    private static final class Reader {
        private final InputStream in;
        private final Path root;
        private final long maxBytes;
        private final byte[] header = new byte[BLOCK];
        private final Map<String, String> global = new HashMap<>();
        private long entries;
        private long bytes;

        Reader(InputStream in, Path root, long maxBytes) {
            this.in = in;
            this.root = root;
            this.maxBytes = maxBytes;
        }

        Result run() throws IOException {
            Map<String, String> pax = new HashMap<>();
            String longName = null;
            String longLink = null;
            while (true) {
                if (!readBlock(header)) break; // plain end of stream: lenient, like GNU tar
                if (isZero(header)) break;      // end-of-archive marker
                verifyChecksum();
                char type = (char) header[156];
                long size = pax.containsKey("size") ? parseLong(pax.get("size")) : octal(124, 12);
                if (size < 0) throw new CorruptArchiveException("negative entry size");
                switch (type) {
                    case 'x' -> { pax.putAll(paxRecords(readData(size))); continue; }
                    case 'g' -> { global.putAll(paxRecords(readData(size))); continue; }
                    case 'L' -> { longName = cString(readData(size)); continue; }
                    case 'K' -> { longLink = cString(readData(size)); continue; }
                    default -> { }
                }
                String name = pax.getOrDefault("path", longName != null ? longName : ustarName());
                String link = pax.getOrDefault("linkpath", longLink != null ? longLink : field(157, 100));
                int mode = (int) octal(100, 8);
                long mtime = octal(136, 12);
                pax.clear();
                longName = null;
                longLink = null;
                entry(type, name, link, mode, mtime, size);
            }
            return new Result(entries, bytes, global.get("comment"));
        }

        private void entry(char type, String name, String link, int mode, long mtime, long size) throws IOException {
            String relative = safeName(name);
            if (relative.isEmpty()) { // "./" itself
                skip(size);
                return;
            }
            entries++;
            Path target = root.resolve(relative);
            switch (type) {
                case '0', '\0', '7' -> {
                    bytes += size;
                    if (bytes > maxBytes) {
                        throw new UnsafeArchiveException("the archive unpacks to more than " + maxBytes + " bytes");
                    }
                    Path parent = safeParent(relative);
                    Path file = parent.resolve(target.getFileName().toString());
                    if (Files.isSymbolicLink(file)) Files.delete(file); // never write through a link
                    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        copy(size, out);
                    }
                    Files.setPosixFilePermissions(file, permissions(mode | 0400));
                    if (mtime > 0) Files.setLastModifiedTime(file, FileTime.fromMillis(mtime * 1000));
                }
                case '5' -> {
                    skip(size);
                    Path dir = safeParent(relative + "/x"); // creates and checks every component
                    Files.setPosixFilePermissions(dir, permissions(mode | 0700));
                }
                case '2' -> {
                    skip(size);
                    if (link.isEmpty()) throw new UnsafeArchiveException("symlink " + name + " has no target");
                    if (link.startsWith("/")) {
                        throw new UnsafeArchiveException("symlink " + name + " points to an absolute path " + link);
                    }
                    Path parent = safeParent(relative);
                    Path lexical = root.resolve(relative).getParent().resolve(link).normalize();
                    if (!lexical.startsWith(root)) {
                        throw new UnsafeArchiveException("symlink " + name + " points outside the archive (" + link + ")");
                    }
                    Path file = parent.resolve(target.getFileName().toString());
                    Files.deleteIfExists(file);
                    Files.createSymbolicLink(file, Path.of(link));
                }
                case '1' -> {
                    skip(size);
                    String linkRelative = safeName(link);
                    Path source = root.resolve(linkRelative);
                    if (linkRelative.isEmpty() || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)
                            || !source.toRealPath().startsWith(root)) {
                        throw new UnsafeArchiveException("hard link " + name + " points outside the archive (" + link + ")");
                    }
                    Path file = safeParent(relative).resolve(target.getFileName().toString());
                    Files.deleteIfExists(file);
                    try {
                        Files.createLink(file, source);
                    } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
                        Files.copy(source, file);
                    }
                }
                default -> skip(size); // devices, FIFOs, sparse and vendor types are not needed by apps
            }
        }

        /** Normalizes an entry name to a relative path, refusing absolute names and {@code ..}. */
        private String safeName(String name) throws UnsafeArchiveException {
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

        /**
         * Creates the parent directories of {@code relative} one at a time, checking that each resolves (after
         * following any symlink) to a directory inside the root, and answers the real parent directory.
         */
        private Path safeParent(String relative) throws IOException {
            Path current = root;
            String[] parts = relative.split("/");
            for (int i = 0; i < parts.length - 1; i++) {
                Path next = current.resolve(parts[i]);
                if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(next);
                }
                Path real;
                try {
                    real = next.toRealPath();
                } catch (IOException dangling) {
                    throw new UnsafeArchiveException("entry " + relative + " goes through a broken link");
                }
                if (!real.startsWith(root)) {
                    throw new UnsafeArchiveException("entry " + relative + " goes through a link outside the archive");
                }
                if (!Files.isDirectory(real)) {
                    throw new UnsafeArchiveException("entry " + relative + " goes through a file");
                }
                current = real;
            }
            return current;
        }

        private void verifyChecksum() throws CorruptArchiveException {
            CorruptArchiveException notTar =
                    new CorruptArchiveException("bad tar header checksum (not a tar archive, or corrupt)");
            long stored;
            try {
                stored = octal(148, 8);
            } catch (CorruptArchiveException e) {
                throw notTar;
            }
            long unsigned = 0;
            long signed = 0;
            for (int i = 0; i < BLOCK; i++) {
                int b = (i >= 148 && i < 156) ? ' ' : header[i];
                unsigned += b & 0xff;
                signed += b;
            }
            if (stored != unsigned && stored != signed) throw notTar;
        }

        private String ustarName() {
            String name = field(0, 100);
            boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't'
                    && header[260] == 'a' && header[261] == 'r';
            String prefix = ustar ? field(345, 155) : "";
            return prefix.isEmpty() ? name : prefix + "/" + name;
        }

        private String field(int offset, int length) {
            int end = offset;
            while (end < offset + length && header[end] != 0) end++;
            return new String(header, offset, end - offset, StandardCharsets.UTF_8);
        }

        private long octal(int offset, int length) throws CorruptArchiveException {
            if ((header[offset] & 0x80) != 0) { // GNU base-256 for big numbers
                long value = header[offset] & 0x7f;
                for (int i = 1; i < length; i++) value = (value << 8) | (header[offset + i] & 0xff);
                return value;
            }
            String text = field(offset, length).trim();
            if (text.isEmpty()) return 0;
            try {
                return Long.parseLong(text, 8);
            } catch (NumberFormatException e) {
                throw new CorruptArchiveException("bad number in tar header");
            }
        }

        private static long parseLong(String s) throws CorruptArchiveException {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new CorruptArchiveException("bad pax size");
            }
        }

        /** pax records: {@code "<len> <key>=<value>\n"}, the length counting the whole record. */
        private static Map<String, String> paxRecords(byte[] data) throws CorruptArchiveException {
            Map<String, String> records = new HashMap<>();
            int pos = 0;
            while (pos < data.length && data[pos] != 0) {
                int space = pos;
                while (space < data.length && data[space] != ' ') space++;
                int length;
                try {
                    length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new CorruptArchiveException("bad pax header");
                }
                if (length <= 0 || pos + length > data.length) throw new CorruptArchiveException("bad pax header");
                String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
                int eq = record.indexOf('=');
                if (eq > 0) records.put(record.substring(0, eq), record.substring(eq + 1));
                pos += length;
            }
            return records;
        }

        private static String cString(byte[] data) {
            int end = 0;
            while (end < data.length && data[end] != 0) end++;
            return new String(data, 0, end, StandardCharsets.UTF_8);
        }

        private byte[] readData(long size) throws IOException {
            if (size > 1024 * 1024) throw new CorruptArchiveException("tar extension header too large");
            byte[] data = in.readNBytes((int) size);
            if (data.length != size) throw new EOFException();
            skipPadding(size);
            return data;
        }

        private void copy(long size, OutputStream out) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) throw new EOFException();
                out.write(buffer, 0, n);
                left -= n;
            }
            skipPadding(size);
        }

        private void skip(long size) throws IOException {
            long total = size + padding(size);
            while (total > 0) {
                long n = in.skip(total);
                if (n <= 0) {
                    if (in.read() < 0) throw new EOFException();
                    n = 1;
                }
                total -= n;
            }
        }

        private void skipPadding(long size) throws IOException {
            long pad = padding(size);
            if (pad > 0 && in.readNBytes((int) pad).length != pad) throw new EOFException();
        }

        private static long padding(long size) {
            long rest = size % BLOCK;
            return rest == 0 ? 0 : BLOCK - rest;
        }

        private boolean readBlock(byte[] block) throws IOException {
            int n = in.readNBytes(block, 0, BLOCK);
            if (n == 0) return false;
            if (n < BLOCK) throw new EOFException();
            return true;
        }

        private static boolean isZero(byte[] block) {
            for (byte b : block) if (b != 0) return false;
            return true;
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) if ((mode & (1 << bit)) != 0) set.add(order[bit]);
        return set;
    }
}

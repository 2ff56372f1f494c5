package io.slipway.buildworker.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a ustar archive (with pax headers for names longer than ustar allows) to a stream. Small on purpose:
 * regular files, directories and symlinks are all a slug or a build cache holds.
 */
public final class TarWriter implements Closeable {
    private static final int BLOCK = 512;
    private final OutputStream out;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    public void directory(String name, int mode, int uid, int gid, long mtimeSeconds) throws IOException {
        header(name.endsWith("/") ? name : name + "/", '5', "", 0, mode, uid, gid, mtimeSeconds);
    }

    public void symlink(String name, String target, int uid, int gid, long mtimeSeconds) throws IOException {
        header(name, '2', target, 0, 0777, uid, gid, mtimeSeconds);
    }

    public void file(String name, Path source, int mode, int uid, int gid, long mtimeSeconds) throws IOException {
        try (InputStream in = Files.newInputStream(source)) {
            long size = Files.size(source);
            header(name, '0', "", size, mode, uid, gid, mtimeSeconds);
            long copied = in.transferTo(new BoundedOutput(out, size));
            if (copied != size) throw new IOException(source + " changed size while it was archived");
            pad(size);
        }
    }

    @Override
    public void close() throws IOException {
        out.write(new byte[BLOCK * 2]);
        out.close();
    }

    private void header(String name, char type, String link, long size, int mode, int uid, int gid, long mtime)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100 || linkBytes.length > 100) {
            StringBuilder records = new StringBuilder();
            if (nameBytes.length > 100) records.append(paxRecord("path", name));
            if (linkBytes.length > 100) records.append(paxRecord("linkpath", link));
            byte[] pax = records.toString().getBytes(StandardCharsets.UTF_8);
            writeHeader("././@PaxHeader", 'x', "", pax.length, 0644, 0, 0, mtime);
            out.write(pax);
            pad(pax.length);
        }
        writeHeader(name, type, link, size, mode, uid, gid, mtime);
    }

    private void writeHeader(String name, char type, String link, long size, int mode, int uid, int gid, long mtime)
            throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, truncated(name, 100));
        put(h, 100, 8, octal(mode & 07777, 7));
        put(h, 108, 8, octal(uid, 7));
        put(h, 116, 8, octal(gid, 7));
        put(h, 124, 12, octal(size, 11));
        put(h, 136, 12, octal(Math.max(0, mtime), 11));
        h[156] = (byte) type;
        put(h, 157, 100, truncated(link, 100));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, 8, (String.format("%06o", sum) + "\0 ").getBytes(StandardCharsets.US_ASCII));
        out.write(h);
    }

    private static String paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int bodyLength = body.getBytes(StandardCharsets.UTF_8).length;
        int length = bodyLength + 1;
        while (String.valueOf(length).length() + bodyLength != length) length++;
        return length + body;
    }

    private static byte[] truncated(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= max) return b;
        byte[] cut = new byte[max];
        System.arraycopy(b, 0, cut, 0, max);
        return cut;
    }

    private static byte[] octal(long value, int digits) {
        String s = Long.toOctalString(value);
        if (s.length() > digits) throw new IllegalArgumentException("value too large for a tar header: " + value);
        return ("0".repeat(digits - s.length()) + s + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(byte[] h, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, h, offset, Math.min(length, value.length));
    }

    private void pad(long size) throws IOException {
        long rest = size % BLOCK;
        if (rest != 0) out.write(new byte[(int) (BLOCK - rest)]);
    }

    /** Guards against a file growing while it is copied, which would corrupt the archive. */
    private static final class BoundedOutput extends OutputStream {
        private final OutputStream out;
        private long left;

        BoundedOutput(OutputStream out, long limit) {
            this.out = out;
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (left <= 0) throw new IOException("file grew while it was archived");
            out.write(b);
            left--;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) throw new IOException("file grew while it was archived");
            out.write(b, off, len);
            left -= len;
        }
    }
}

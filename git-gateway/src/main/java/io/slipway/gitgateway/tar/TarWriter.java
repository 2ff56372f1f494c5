package io.slipway.gitgateway.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX (ustar) tar stream with pax headers for what ustar cannot hold (long or non-ASCII names),
 * which GNU tar, bsdtar and every common library read. JDK only: no archive library is on the gateway's
 * class path. Entries: directories, regular files (with their mode) and symbolic links.
 */
public final class TarWriter implements AutoCloseable {
    private static final int BLOCK = 512;
    /** ustar's 12-byte octal size field holds up to 8 GiB - 1. */
    private static final long MAX_SIZE = 077777777777L;
    private final OutputStream out;
    private boolean finished;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    public void directory(String path, int mode, long mtimeSeconds) throws IOException {
        String name = path.endsWith("/") ? path : path + "/";
        header(name, mode, 0, mtimeSeconds, '5', "");
    }

    public void file(String path, int mode, long size, long mtimeSeconds, InputStream content) throws IOException {
        if (size > MAX_SIZE) throw new IOException(path + " is larger than 8 GiB");
        header(path, mode, size, mtimeSeconds, '0', "");
        long copied = content.transferTo(new BoundedOutput(out, size));
        if (copied != size) throw new IOException(path + ": expected " + size + " bytes, read " + copied);
        pad(size);
    }

    public void symlink(String path, String target, long mtimeSeconds) throws IOException {
        header(path, 0777, 0, mtimeSeconds, '2', target);
    }

    /** Ends the archive (two zero blocks); does not close the underlying stream. */
    public void finish() throws IOException {
        if (finished) return;
        out.write(new byte[2 * BLOCK]);
        finished = true;
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    private void header(String name, int mode, long size, long mtime, char type, String link) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        boolean paxName = nameBytes.length > 100 || !ascii(name);
        boolean paxLink = linkBytes.length > 100 || !ascii(link);
        if (paxName || paxLink) {
            StringBuilder records = new StringBuilder();
            if (paxName) records.append(paxRecord("path", name));
            if (paxLink) records.append(paxRecord("linkpath", link));
            byte[] pax = records.toString().getBytes(StandardCharsets.UTF_8);
            writeHeader(asciiName("PaxHeaders/" + name), 0644, pax.length, mtime, 'x', "");
            out.write(pax);
            pad(pax.length);
        }
        writeHeader(paxName ? asciiName(name) : name, mode, size, mtime, type, paxLink ? asciiName(link) : link);
    }

    private void writeHeader(String name, int mode, long size, long mtime, char type, String link) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, Math.max(0, mtime));
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
        put(h, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        String chk = String.format("%06o", sum);
        put(h, 148, 6, chk.getBytes(StandardCharsets.US_ASCII));
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    /** {@code "<len> key=value\n"} where len counts the whole record, its own digits included. */
    static String paxRecord(String key, String value) {
        int body = key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int len = body + String.valueOf(body).length();
        if (String.valueOf(len).length() != String.valueOf(body).length()) len++;
        return len + " " + key + "=" + value + "\n";
    }

    /** The ustar fallback name for readers without pax support: ASCII, at most 100 bytes. */
    private static String asciiName(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) sb.append(c < 0x80 && c >= 0x20 ? c : '_');
        String s = sb.toString();
        return s.length() <= 100 ? s : s.substring(s.length() - 100);
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    private static void put(byte[] h, int off, int len, byte[] value) {
        System.arraycopy(value, 0, h, off, Math.min(len, value.length));
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        put(h, off, len - 1, padded.getBytes(StandardCharsets.US_ASCII));
        h[off + len - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) out.write(new byte[BLOCK - rest]);
    }

    /** Refuses to write more than the header announced (a file that grew while being archived). */
    private static final class BoundedOutput extends OutputStream {
        private final OutputStream out;
        private long left;

        BoundedOutput(OutputStream out, long limit) {
            this.out = out;
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (left <= 0) throw new IOException("entry larger than its header");
            out.write(b);
            left--;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) throw new IOException("entry larger than its header");
            out.write(b, off, len);
            left -= len;
        }
    }
}

package io.slipway.gitgateway.tar;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Extracts a tar stream (ustar, pax, GNU long names) into a directory. Only directories and regular files are
 * created; links and devices are skipped, and any path leaving the target directory is refused, so a
 * tampered archive cannot write elsewhere on the gateway.
 */
public final class TarReader {
    private static final int BLOCK = 512;

    private TarReader() {}

    /** @return the number of files extracted */
    public static int extract(InputStream in, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        Map<String, String> pax = new HashMap<>();
        String longName = null;
        int files = 0;
        byte[] h = new byte[BLOCK];
        while (true) {
            if (!readBlock(in, h)) return files;
            if (zero(h)) return files;
            verifyChecksum(h);
            String name = string(h, 0, 100);
            String prefix = string(h, 345, 155);
            if (!prefix.isEmpty() && "ustar".equals(string(h, 257, 5))) name = prefix + "/" + name;
            long size = octal(h, 124, 12);
            char type = (char) h[156];
            switch (type) {
                case 'x' -> {
                    pax.putAll(paxRecords(readBytes(in, size)));
                    continue;
                }
                case 'g' -> {
                    skip(in, size);
                    continue;
                }
                case 'L' -> {
                    longName = new String(readBytes(in, size), StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                default -> {
                    // an entry: fall through
                }
            }
            if (pax.containsKey("path")) name = pax.get("path");
            else if (longName != null) name = longName;
            if (pax.containsKey("size")) size = Long.parseLong(pax.get("size"));
            pax.clear();
            longName = null;
            Path dest = resolve(root, name);
            if (type == '5') {
                Files.createDirectories(dest);
                skip(in, size);
            } else if (type == '0' || type == '\0' || type == '7') {
                Files.createDirectories(dest.getParent());
                Files.copy(new Bounded(in, size), dest, StandardCopyOption.REPLACE_EXISTING);
                skipPadding(in, size);
                files++;
            } else {
                skip(in, size);
            }
        }
    }

    private static Path resolve(Path root, String name) throws IOException {
        String clean = name;
        while (clean.startsWith("./")) clean = clean.substring(2);
        if (clean.isEmpty() || clean.equals(".")) return root;
        if (clean.startsWith("/") || clean.contains("\0")) throw new IOException("refusing archive path " + name);
        Path p = root.resolve(clean).normalize();
        if (!p.startsWith(root)) throw new IOException("refusing archive path " + name);
        return p;
    }

    static Map<String, String> paxRecords(byte[] data) throws IOException {
        Map<String, String> out = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = indexOf(data, (byte) ' ', pos);
            if (space < 0) break;
            int len;
            try {
                len = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("bad pax header");
            }
            if (len <= 0 || pos + len > data.length) throw new IOException("bad pax header");
            String record = new String(data, space + 1, pos + len - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) out.put(record.substring(0, eq), record.substring(eq + 1));
            pos += len;
        }
        return out;
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) if (data[i] == b) return i;
        return -1;
    }

    private static void verifyChecksum(byte[] h) throws IOException {
        long stored = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        if (sum != stored) throw new IOException("not a tar archive (header checksum mismatch)");
    }

    private static boolean readBlock(InputStream in, byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, BLOCK);
        if (n == 0) return false;
        if (n < BLOCK) throw new EOFException("truncated tar archive");
        return true;
    }

    private static byte[] readBytes(InputStream in, long size) throws IOException {
        if (size > 1 << 20) throw new IOException("tar extension header too large");
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) throw new EOFException("truncated tar archive");
        skipPadding(in, size);
        return data;
    }

    private static void skip(InputStream in, long size) throws IOException {
        in.skipNBytes(size + padding(size));
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long pad = padding(size);
        if (pad > 0) in.skipNBytes(pad);
    }

    private static long padding(long size) {
        long rest = size % BLOCK;
        return rest == 0 ? 0 : BLOCK - rest;
    }

    private static boolean zero(byte[] h) {
        for (byte b : h) if (b != 0) return false;
        return true;
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) throws IOException {
        String s = string(h, off, len).trim();
        if (s.isEmpty()) return 0;
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("not a tar archive (bad number field)");
        }
    }

    /** Exactly {@code size} bytes of the underlying stream; never closes it. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int b = in.read();
            if (b < 0) throw new EOFException("truncated tar archive");
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new EOFException("truncated tar archive");
            left -= n;
            return n;
        }
    }
}

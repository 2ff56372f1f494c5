package io.slipway.router.support;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Large bodies for streaming tests, generated on the fly (never held in memory whole). */
public final class Patterns {
    private static final int BLOCK = 64 * 1024;

    private Patterns() {}

    public static byte[] block() {
        byte[] b = new byte[BLOCK];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    /** {@code size} bytes of the repeating block. */
    public static InputStream stream(long size) {
        byte[] block = block();
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos >= size) return -1;
                return block[(int) (pos++ % BLOCK)] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) return -1;
                int n = (int) Math.min(len, size - pos);
                for (int i = 0; i < n; i++) b[off + i] = block[(int) ((pos + i) % BLOCK)];
                pos += n;
                return n;
            }
        };
    }

    /** The SHA-256 (hex) of {@link #stream}(size). */
    public static String sha256(long size) throws Exception {
        MessageDigest sha = Upstream.sha256();
        byte[] buf = new byte[BLOCK];
        try (InputStream in = stream(size)) {
            int r;
            while ((r = in.read(buf)) > 0) sha.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

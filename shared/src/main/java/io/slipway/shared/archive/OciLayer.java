package io.slipway.shared.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Applies one OCI image layer (a tenant's archive) onto the layers below it, in two passes over the blob:
 * first its whiteouts ({@code .wh.<name>} deletes {@code <name>}, {@code .wh..wh..opq} empties its directory)
 * act on the lower layers only, as the OCI image spec says; then its entries are written. Everything else is
 * {@link SafeUntar}'s rules: no absolute names or {@code ..}, nothing written, created or deleted through a link
 * (a layer that replaced a directory with a link cannot then write through it), no devices or FIFOs, no setuid,
 * setgid or sticky bits, the policy's size and entry limits. An entry replaces whatever a lower layer had at its
 * path (a directory with its tree), and files keep the archive's owners: the root file system is an image's own,
 * mounted read-only and {@code nosuid}.
 */
public final class OciLayer {
    static final String WHITEOUT = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";

    private OciLayer() {}

    /**
     * @param gzip the layer is {@code tar+gzip} (else a plain tar)
     * @return what the layer wrote (its whiteouts not counted)
     */
    public static SafeUntar.Result apply(Path blob, boolean gzip, Path root, ExtractionPolicy policy)
            throws IOException {
        ExtractionTarget target = new ExtractionTarget(root, policy, true);
        try (InputStream in = SafeUntar.open(Files.newInputStream(blob), gzip)) {
            SafeUntar.extractTar(in, target, policy.withMaxEntries(Long.MAX_VALUE), (relative, entry) -> {
                applyWhiteout(target, relative);
                return true; // nothing but whiteouts in this pass
            });
        }
        try (InputStream in = SafeUntar.open(Files.newInputStream(blob), gzip)) {
            return SafeUntar.extractTar(in, target, policy, (relative, entry) -> isWhiteout(relative));
        }
    }

    private static void applyWhiteout(ExtractionTarget target, String relative) throws IOException {
        String name = relative.substring(relative.lastIndexOf('/') + 1);
        String dir = relative.contains("/") ? relative.substring(0, relative.lastIndexOf('/')) : "";
        if (name.equals(OPAQUE)) {
            target.clearDirectory(dir);
        } else if (name.startsWith(WHITEOUT)) {
            String hidden = name.substring(WHITEOUT.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new SafeUntar.UnsafeArchiveException("whiteout " + relative + " names no entry");
            }
            target.remove(dir.isEmpty() ? hidden : dir + "/" + hidden);
        }
    }

    private static boolean isWhiteout(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1).startsWith(WHITEOUT);
    }
}

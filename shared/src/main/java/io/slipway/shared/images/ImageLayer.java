package io.slipway.shared.images;

import io.slipway.shared.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One blob of an OCI image as the platform hands it on: its digest, size, media type and, where a reader needs
 * it, a presigned GET url (null in build results and when stored). Readers verify digest and size themselves:
 * the object store is not trusted to return the right bytes.
 */
public record ImageLayer(String digest, long size, String mediaType, String url) {
    public static final String GZIP_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String TAR_LAYER = "application/vnd.oci.image.layer.v1.tar";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    /** True for {@code sha256:<64 lowercase hex>}, the only digest form the platform accepts. */
    public static boolean isDigest(String value) {
        return value != null && DIGEST.matcher(value).matches();
    }

    /** The 64 hex digits of a valid digest (the object key's last part). */
    public static String hex(String digest) {
        if (!isDigest(digest)) throw new IllegalArgumentException("not a sha256 digest: " + digest);
        return digest.substring("sha256:".length());
    }

    /** True for the layer media types a dyno-agent can unpack (gzip or plain tar). */
    public boolean isSupportedLayer() {
        return GZIP_LAYER.equals(mediaType) || TAR_LAYER.equals(mediaType);
    }

    public static ImageLayer parse(Object json) {
        Map<String, Object> m = Json.object(json);
        Object size = m.get("size");
        return new ImageLayer(str(m.get("digest")), size instanceof Number n ? n.longValue() : -1,
                str(m.get("media_type")), str(m.get("url")));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("digest", digest);
        m.put("size", size);
        m.put("media_type", mediaType);
        if (url != null) m.put("url", url);
        return m;
    }

    static String str(Object v) {
        return v == null ? null : String.valueOf(v);
    }
}

package io.slipway.api.gitaccess;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The S3-compatible object store ({@code slipway.s3.*}, so {@code SLIPWAY_S3_ENDPOINT}, {@code SLIPWAY_S3_BUCKET},
 * {@code SLIPWAY_S3_ACCESS_KEY}, {@code SLIPWAY_S3_SECRET_KEY}, {@code SLIPWAY_S3_REGION}). Without a bucket
 * there is no object storage. A null endpoint means AWS itself; any other endpoint is addressed path-style
 * (MinIO, Ceph, s3proxy).
 */
@ConfigurationProperties(prefix = "slipway.s3")
public record S3Properties(
        String endpoint,
        String bucket,
        String accessKey,
        String secretKey,
        @DefaultValue("us-east-1") String region) {

    public boolean configured() {
        return bucket != null && !bucket.isBlank();
    }
}

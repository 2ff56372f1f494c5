package io.slipway.api.storage;

import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.StorageUnavailable;
import io.slipway.api.ApiServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The platform's object store, through the S3 API. Only the api-server holds its credentials: everyone else
 * (build-workers, dyno-agents, the git-gateway, CI) gets presigned URLs, valid {@code slipway.s3.presign-ttl}.
 * Path-style addressing ({@code <endpoint>/<bucket>/<key>}) so any S3 implementation works without
 * wildcard DNS.
 *
 * <p>Without {@code slipway.s3.*} the api-server still runs; every operation here then answers
 * {@code 503 storage_unavailable}. Store errors (unreachable, refused) answer the same, never a 500.
 *
 * <p>The AWS SDK's client and presigner, and the check that the bucket exists, are built on first use, not at
 * start: they were 13% of the api-server's start-up (docs/benchmarks.md, "Start-up") and a start uses neither.
 */
@Component
public class ObjectStorage implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ObjectStorage.class);
    private static final String NOT_CONFIGURED =
            "Object storage is not configured on this platform (slipway.s3.*), so sources, slugs and builds are unavailable.";

    private final ApiServerConfig.S3 s3;
    private final String bucket;
    private final Duration ttl;
    /** Built once, by the first caller; the others wait for it (the SDK's builders are not cheap). */
    private volatile Clients clients;
    private static final long RECHECK_NANOS = Duration.ofSeconds(30).toNanos();
    /** Until one check succeeds, a use at least 30 s after a failed one checks again: the store may come up later. */
    private volatile boolean bucketChecked;
    private volatile long nextBucketCheck = System.nanoTime();

    private record Clients(S3Client client, S3Presigner presigner) {}

    @Autowired
    public ObjectStorage(ApiServerConfig config) {
        this(config.s3());
    }

    ObjectStorage(ApiServerConfig.S3 s3) {
        this.s3 = s3;
        this.bucket = s3.bucketName();
        this.ttl = s3.presignTtl();
        if (!s3.configured()) {
            log.info("Object storage not configured (slipway.s3.*): sources, slugs and builds are unavailable");
        }
    }

    public boolean available() {
        return s3.configured();
    }

    /** Throws {@code 503 storage_unavailable} when there is no store. */
    public void requireAvailable() {
        if (!s3.configured()) throw new StorageUnavailable(NOT_CONFIGURED);
    }

    /** A URL anyone can GET the object from, until the TTL runs out. */
    public String presignGet(String key) {
        S3Presigner presigner = clients().presigner();
        return presigner.presignGetObject(r -> r.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url().toString();
    }

    /** A URL anyone can PUT the object to (no Content-Type is signed, so any client's upload fits). */
    public String presignPut(String key) {
        S3Presigner presigner = clients().presigner();
        return presigner.presignPutObject(r -> r.signatureDuration(ttl).putObjectRequest(p -> p.bucket(bucket).key(key)))
                .url().toString();
    }

    /** The object's size in bytes, or empty when it does not exist. */
    public OptionalLong size(String key) {
        S3Client client = clients().client();
        try {
            return OptionalLong.of(client.headObject(h -> h.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return OptionalLong.empty();
            throw unreachable(e);
        } catch (SdkException e) {
            throw unreachable(e);
        }
    }

    /** Deletes the object; deleting a missing object is not an error (S3 semantics). */
    public void delete(String key) {
        S3Client client = clients().client();
        try {
            client.deleteObject(d -> d.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw unreachable(e);
        }
    }

    /**
     * Deletes every object whose key starts with {@code prefix} (a destroyed app's images and slugs), a page of
     * up to 1000 keys per request. Returns how many were deleted.
     */
    public int deletePrefix(String prefix) {
        S3Client client = clients().client();
        if (prefix == null || prefix.isEmpty() || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("a prefix ends with /: " + prefix);
        }
        int deleted = 0;
        try {
            for (var page : client.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix))) {
                var keys = page.contents().stream()
                        .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
                if (keys.isEmpty()) continue;
                client.deleteObjects(d -> d.bucket(bucket).delete(x -> x.objects(keys).quiet(true)));
                deleted += keys.size();
            }
        } catch (SdkException e) {
            throw unreachable(e);
        }
        return deleted;
    }

    /**
     * The client and presigner, built by the first caller (503 when there is no store), and the bucket created
     * when it is missing: before anything is uploaded to a presigned URL, as the start did before.
     */
    private Clients clients() {
        requireAvailable();
        Clients c = clients;
        if (c == null) {
            synchronized (this) {
                c = clients;
                if (c == null) {
                    c = build(s3);
                    clients = c;
                }
            }
        }
        if (!bucketChecked && System.nanoTime() - nextBucketCheck >= 0) {
            synchronized (this) {
                if (!bucketChecked && System.nanoTime() - nextBucketCheck >= 0) {
                    bucketChecked = ensureBucket(c.client());
                    nextBucketCheck = System.nanoTime() + RECHECK_NANOS;
                }
            }
        }
        return c;
    }

    private static Clients build(ApiServerConfig.S3 s3) {
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        AwsCredentialsProvider credentials = blank(s3.accessKey())
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
        Region region = Region.of(s3.region());
        var clientBuilder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle)
                .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(5)));
        var presignerBuilder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle);
        if (!blank(s3.endpoint())) clientBuilder.endpointOverride(URI.create(s3.endpoint()));
        String publicEndpoint = blank(s3.publicEndpoint()) ? s3.endpoint() : s3.publicEndpoint();
        if (!blank(publicEndpoint)) presignerBuilder.endpointOverride(URI.create(publicEndpoint));
        return new Clients(clientBuilder.build(), presignerBuilder.build());
    }

    /** Creates the bucket when it is missing; a store that is down now is reported, not fatal (the call itself says). */
    private boolean ensureBucket(S3Client client) {
        try {
            try {
                client.headBucket(h -> h.bucket(bucket));
            } catch (NoSuchBucketException e) {
                client.createBucket(c -> c.bucket(bucket));
                log.info("Created bucket {}", bucket);
            } catch (S3Exception e) {
                if (e.statusCode() != 404) throw e;
                client.createBucket(c -> c.bucket(bucket));
                log.info("Created bucket {}", bucket);
            }
            return true;
        } catch (SdkException e) {
            // credentials are never part of the message; the store may come up later
            log.warn("Object storage bucket {} is not reachable yet: {}", bucket, e.getMessage());
            return false;
        }
    }

    @Override
    public void destroy() {
        Clients c = clients;
        if (c == null) return;
        c.presigner().close();
        c.client().close();
    }

    private static DomainException unreachable(SdkException e) {
        log.warn("Object storage error: {}", e.getMessage());
        return new StorageUnavailable("Object storage did not answer; try again shortly.");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

package io.slipway.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * The platform's S3-compatible object store: s3proxy with its {@code filesystem} blob store on
 * {@code <data-dir>/objects} (one directory per bucket), on 127.0.0.1 at a remembered port, with generated
 * credentials (AWS signature v2 or v4). The bucket {@code slipway} exists once it has started.
 */
public final class EmbeddedObjectStore implements AutoCloseable {
    public static final String BUCKET = "slipway";
    public static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** Everything a component needs to use the store. */
    public record Coordinates(String endpoint, String bucket, String accessKey, String secretKey, String region) {}

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final Coordinates coordinates;

    private EmbeddedObjectStore(S3Proxy proxy, BlobStore blobStore, Coordinates coordinates) {
        this.proxy = proxy;
        this.blobStore = blobStore;
        this.coordinates = coordinates;
    }

    public static EmbeddedObjectStore start(Path baseDir, int port, String accessKey, String secretKey) {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        BlobStore blobStore = BlobStores.create("filesystem", props);
        if (!blobStore.containerExists(BUCKET)) blobStore.createContainer(BUCKET);

        Coordinates coordinates = coordinates(port, accessKey, secretKey);
        String endpoint = coordinates.endpoint();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create(endpoint))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!"STARTED".equals(proxy.getState())) {
                if ("FAILED".equals(proxy.getState()) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("object store did not start on " + endpoint + " (" + proxy.getState() + ")");
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            stopQuietly(proxy);
            blobStore.close();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException("object store did not start on " + endpoint + ": " + e.getMessage(), e);
        }
        return new EmbeddedObjectStore(proxy, blobStore, coordinates);
    }

    /** Where the store on {@code port} answers and with which credentials (known before it has started). */
    public static Coordinates coordinates(int port, String accessKey, String secretKey) {
        return new Coordinates("http://" + LauncherConfig.HOST + ":" + port, BUCKET, accessKey, secretKey, REGION);
    }

    public Coordinates coordinates() {
        return coordinates;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the object store", e);
        } finally {
            blobStore.close();
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception ignored) {
            // already failing: the original error is the one to report
        }
    }
}

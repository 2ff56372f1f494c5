package io.slipway.api.support;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * A real S3 API server for the tests: s3proxy in-process with its {@code transient} (in-memory) blob store on
 * a free port, started once per JVM on first use. The bucket is NOT created here: the api-server creates it
 * on its first use of the store, which the storage tests thereby cover.
 */
public final class TestObjectStore {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key-0123456789";
    public static final String BUCKET = "slipway-test";
    private static S3Proxy proxy;

    private TestObjectStore() {}

    public static synchronized String endpoint() {
        if (proxy == null) proxy = start();
        return "http://127.0.0.1:" + proxy.getPort();
    }

    private static S3Proxy start() {
        S3Proxy p = S3Proxy.builder()
                .blobStore(BlobStores.create("transient", new Properties()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            p.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(p.getState())) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("s3proxy did not start: " + p.getState());
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start", e);
        }
        return p;
    }
}

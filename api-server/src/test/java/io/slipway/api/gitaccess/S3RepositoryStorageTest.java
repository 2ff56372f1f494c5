package io.slipway.api.gitaccess;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.web.ApiException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Presigned repository URLs against a real S3 API (s3proxy in-process): what the gateway does with them. */
class S3RepositoryStorageTest {
    private static S3Proxy s3;
    private static String endpoint;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        BlobStore store = org.gaul.s3proxy.BlobStores.create("transient", new Properties());
        store.createContainer("slipway");
        s3 = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "AKID", "SECRET").build();
        s3.start();
        while (!"STARTED".equals(s3.getState())) Thread.sleep(10);
        endpoint = "http://127.0.0.1:" + s3.getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.stop();
    }

    @Test
    void aRepositoryArchiveGoesUpAndComesBackThroughPresignedUrls() throws Exception {
        S3RepositoryStorage storage = new S3RepositoryStorage(new S3Properties(endpoint, "slipway", "AKID", "SECRET", "us-east-1"));
        String key = RepositoryUrls.key(java.util.UUID.randomUUID());
        assertThat(key).startsWith("repos/").endsWith(".tgz");

        HttpResponse<byte[]> missing = HTTP.send(HttpRequest.newBuilder(URI.create(storage.presignGet(key))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(missing.statusCode()).isEqualTo(404);

        byte[] archive = new byte[300_000];
        new java.util.Random(7).nextBytes(archive);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(storage.presignPut(key)))
                .header("Content-Type", "application/gzip")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        HttpResponse<byte[]> got = HTTP.send(HttpRequest.newBuilder(URI.create(storage.presignGet(key))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(archive);
        storage.close();
    }

    @Test
    void withoutABucketTheStoreIsUnavailable() {
        S3RepositoryStorage storage = new S3RepositoryStorage(new S3Properties(null, null, null, null, "us-east-1"));
        Executable get = () -> storage.presignGet("repos/x.tgz");
        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, get);
        assertThat(e.status().value()).isEqualTo(503);
        assertThat(e.id()).isEqualTo("unavailable");
    }
}

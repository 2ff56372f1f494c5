package io.slipway.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.support.StorageApiTest;
import io.slipway.api.support.TestObjectStore;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.errors.StorageUnavailable;
import io.slipway.shared.net.LocalPorts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ObjectStorageTest extends StorageApiTest {
    @Autowired
    ObjectStorage storage;

    @Test
    void presignedUrlsMoveObjectsWithoutCredentials() {
        assertThat(storage.available()).isTrue();
        String key = ObjectKeys.source(UUID.randomUUID());
        assertThat(storage.size(key)).isEmpty();

        byte[] bytes = ("tarball " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String put = storage.presignPut(key);
        // path-style on the configured endpoint, signed (SigV4 query parameters), no credentials in clear
        assertThat(put).startsWith(TestObjectStore.endpoint() + "/" + TestObjectStore.BUCKET + "/sources/")
                .contains("X-Amz-Signature=").doesNotContain(TestObjectStore.SECRET_KEY);
        assertThat(upload(put, bytes)).isEqualTo(200);

        assertThat(storage.size(key)).hasValue(bytes.length);
        var got = download(storage.presignGet(key));
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(bytes);

        storage.delete(key);
        assertThat(storage.size(key)).isEmpty();
        assertThat(download(storage.presignGet(key)).statusCode()).isEqualTo(404);
        storage.delete(key); // deleting what is gone is fine
    }

    @Test
    void aTamperedUrlIsRefused() {
        String key = ObjectKeys.source(UUID.randomUUID());
        String put = storage.presignPut(key);
        assertThat(upload(put.replace("/sources/", "/slugs/"), new byte[] {1})).isEqualTo(403);
        assertThat(storage.size(key)).isEmpty();
    }

    @Test
    void theClientAndTheBucketAreMadeOnFirstUseNotAtStart() throws Exception {
        // nothing listens here: building the storage must not need the store (a start does not wait for it)
        int closed = LocalPorts.freePort();
        var down = new ObjectStorage(new ApiServerConfig.S3("http://127.0.0.1:" + closed, null, "down",
                TestObjectStore.ACCESS_KEY, TestObjectStore.SECRET_KEY, "us-east-1", Duration.ofMinutes(5)));
        assertThat(down.available()).isTrue();
        assertThatThrownBy(() -> down.size("sources/x")).isInstanceOf(StorageUnavailable.class)
                .hasMessageContaining("did not answer");
        down.destroy();

        // a bucket nobody created yet: the first presigned URL comes with it, so the upload lands
        String bucket = "lazy-" + UUID.randomUUID().toString().substring(0, 8);
        var fresh = new ObjectStorage(new ApiServerConfig.S3(TestObjectStore.endpoint(), null, bucket,
                TestObjectStore.ACCESS_KEY, TestObjectStore.SECRET_KEY, "us-east-1", Duration.ofMinutes(5)));
        String key = ObjectKeys.source(UUID.randomUUID());
        assertThat(upload(fresh.presignPut(key), new byte[] {7})).isEqualTo(200);
        assertThat(fresh.size(key)).hasValue(1);
        fresh.destroy();
    }
}

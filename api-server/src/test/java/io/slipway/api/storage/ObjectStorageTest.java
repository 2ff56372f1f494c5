package io.slipway.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.StorageApiTest;
import io.slipway.api.support.TestObjectStore;
import java.nio.charset.StandardCharsets;
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
}

package io.slipway.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that need object storage (sources, slugs, builds): {@link ApiTest} plus the
 * {@link TestObjectStore} as {@code slipway.s3.*}, a quick lease sweeper and a 1 MiB slug limit (so the limit
 * can be tested). Its properties differ from ApiTest's, so it is a second Spring context: keep every storage
 * test on this one class so there is only one more.
 */
public abstract class StorageApiTest extends ApiTest {
    public static final long MAX_SLUG_BYTES = 1024 * 1024;

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("slipway.s3.endpoint", TestObjectStore::endpoint);
        registry.add("slipway.s3.bucket", () -> TestObjectStore.BUCKET);
        registry.add("slipway.s3.access-key", () -> TestObjectStore.ACCESS_KEY);
        registry.add("slipway.s3.secret-key", () -> TestObjectStore.SECRET_KEY);
        registry.add("slipway.s3.region", () -> "us-east-1");
        registry.add("slipway.builds.sweep-interval", () -> "200ms");
        registry.add("slipway.builds.output-poll-interval", () -> "50ms");
        registry.add("slipway.builds.max-slug-bytes", () -> String.valueOf(MAX_SLUG_BYTES));
    }

    /** A call to the internal API with a build-worker's token. */
    protected Call worker(String method, String path) {
        return asComponent(io.slipway.api.web.ComponentRole.BUILD_WORKER, method, path);
    }

    protected String createApp(User user, String prefix) {
        String name = uniqueAppName(prefix);
        call("POST", "/apps").as(user).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    protected JsonNode app(User user, String app) {
        return call("GET", "/apps/" + app).as(user).send().expect(200).json();
    }

    /** PUT to a presigned URL the way a client without credentials does; returns the status. */
    protected static int upload(String presignedUrl, byte[] bytes) {
        return send(HttpRequest.newBuilder(URI.create(presignedUrl)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)))
                .statusCode();
    }

    /** GET from a presigned URL. */
    protected static HttpResponse<byte[]> download(String presignedUrl) {
        return send(HttpRequest.newBuilder(URI.create(presignedUrl)).GET());
    }

    /** A path of this server from a URL built on {@code slipway.public-url} (not this test server's address). */
    protected String local(String publicUrl) {
        URI uri = URI.create(publicUrl);
        assertThat(publicUrl).startsWith("https://127.0.0.1:5443/");
        return baseUrl() + uri.getRawPath();
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

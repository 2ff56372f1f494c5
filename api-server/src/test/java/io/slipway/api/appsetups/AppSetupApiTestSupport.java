package io.slipway.api.appsetups;

import static io.slipway.api.support.TestDeploys.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.addons.FakeAddonProviders;
import io.slipway.api.support.FakeBuildWorker;
import io.slipway.api.support.StorageApiTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the app-setup tests share: tarballs uploaded to the real object store through {@code POST /sources}, setups
 * posted and followed through the API, and this test's build-worker playing the internal contract (as the build
 * tests do) so that a setup's build and its release complete.
 */
@Import(FakeAddonProviders.class)
abstract class AppSetupApiTestSupport extends StorageApiTest {
    final FakeBuildWorker buildWorker = new FakeBuildWorker(this, "app-setups-test-worker");
    @Autowired
    JdbcTemplate jdbc;

    JsonNode post(User user, String url) {
        return call("POST", "/app-setups").as(user).json("{\"source_blob\":{\"url\":\"" + url + "\"}}")
                .send().expect(201).json();
    }

    JsonNode setup(User user, String id) {
        return call("GET", "/app-setups/" + id).as(user).send().expect(200).json();
    }

    /** Polls the setup until {@code condition} holds; answers the setup as it then was. */
    JsonNode awaitSetup(User user, String id, Predicate<JsonNode> condition) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await("app setup " + id, () -> {
            last.set(setup(user, id));
            return condition.test(last.get());
        });
        return last.get();
    }

    String source(User user, byte[] tarball) {
        JsonNode blob = call("POST", "/sources").as(user).send().expect(201).json().path("source_blob");
        assertThat(upload(blob.path("put_url").asText(), tarball)).isEqualTo(200);
        return blob.path("get_url").asText();
    }

    /** Claims the setup's build, uploads a slug and reports the build succeeded with these process types. */
    void buildSucceeds(String buildId, String processTypes) {
        JsonNode claim = buildWorker.claimOwn(buildId);
        byte[] slug = "a slug".getBytes(StandardCharsets.UTF_8);
        assertThat(upload(claim.path("slug_put_url").asText(), slug)).isEqualTo(200);
        buildWorker.result(buildId, FakeBuildWorker.succeeded(slug.length, processTypes)).expect(200);
    }

    static byte[] tarball(Map<String, String> files) {
        return write(tar -> {
            for (var f : new LinkedHashMap<>(files).entrySet()) {
                byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(bytes.length);
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        });
    }

    static byte[] tarballWithSymlink(String name, String target) {
        return write(tar -> {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        });
    }

    private interface TarBody {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private static byte[] write(TarBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

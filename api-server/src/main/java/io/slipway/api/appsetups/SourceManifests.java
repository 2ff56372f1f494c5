package io.slipway.api.appsetups;

import io.slipway.api.storage.OwnStoreUrls;
import io.slipway.shared.net.GuardedHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Downloads a setup's {@code source_blob.url} and reads its app.json. The URL is fetched the way the
 * build-worker fetches a build's source: a presigned URL of the platform's own store ({@code POST /sources})
 * directly, anything else a user gave only through the {@link GuardedHttpClient} (outbound policy on every hop,
 * size and time capped). The tarball is kept in a temporary file only while it is read.
 */
@Component
public class SourceManifests {
    /** The same order of size as a build's source; only app.json is read from it. */
    static final long MAX_SOURCE_BYTES = 1L << 30;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private final OwnStoreUrls ownStore;
    private final GuardedHttpClient guarded;

    public SourceManifests(OwnStoreUrls ownStore, GuardedHttpClient guarded) {
        this.ownStore = ownStore;
        this.guarded = guarded;
    }

    /** The app.json text, or empty. @throws IOException with a message fit for {@code failure_message} */
    public Optional<String> appJson(String url) throws IOException {
        Path file = Files.createTempFile("app-setup-", ".tgz");
        try {
            if (ownStore.isOwn(url)) ownStore.download(url, file, MAX_SOURCE_BYTES, TIMEOUT);
            else guarded.download(url, file, MAX_SOURCE_BYTES, TIMEOUT);
            try (InputStream in = Files.newInputStream(file)) {
                return AppJsonReader.read(in);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}

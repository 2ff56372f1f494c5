package io.slipway.buildworker.cache;

import io.slipway.shared.archive.ExtractionPolicy;
import io.slipway.shared.archive.SafeUntar;
import io.slipway.shared.archive.TreeArchive;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.buildworker.fs.IoErrors;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The app's build cache (CACHE_DIR), kept in object storage as one tarball between builds. The cache only makes
 * builds faster, so every problem with it is a warning and the build goes on with an empty one.
 */
public final class BuildCache {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private final HttpClient http;

    public BuildCache(HttpClient http) {
        this.http = http;
    }

    /** Restores the cache into {@code cacheDir}; answers whether there was one. 404 means no cache yet. */
    public boolean restore(String getUrl, Path scratch, Path cacheDir, long maxBytes, Consumer<String> warn)
            throws IOException {
        if (getUrl == null) return false;
        Path archive = scratch.resolve("cache-in.tgz");
        try {
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(getUrl)).timeout(TIMEOUT)
                    .GET().build(), HttpResponse.BodyHandlers.ofFile(archive));
            if (response.statusCode() == 404) return false;
            if (response.statusCode() != 200) {
                warn.accept("Could not restore the build cache (HTTP " + response.statusCode() + "); building without it");
                return false;
            }
            SafeUntar.extract(archive, cacheDir, ExtractionPolicy.limitedTo(maxBytes));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restoring the cache");
        } catch (IOException e) {
            warn.accept("Could not restore the build cache (" + IoErrors.describe(e) + "); building without it");
            TreeDelete.deleteOrThrow(cacheDir);
            Files.createDirectories(cacheDir);
            return false;
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** Uploads {@code cacheDir} for the app's next build. */
    public void save(String putUrl, Path scratch, Path cacheDir, Consumer<String> warn) throws IOException {
        if (putUrl == null) return;
        Path archive = scratch.resolve("cache-out.tgz");
        try {
            TreeArchive.write(cacheDir, "./", path -> false, archive);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(putUrl)).timeout(TIMEOUT)
                    .PUT(HttpRequest.BodyPublishers.ofFile(archive)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                warn.accept("Could not save the build cache (HTTP " + response.statusCode() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while saving the cache");
        } catch (IOException e) {
            warn.accept("Could not save the build cache (" + IoErrors.describe(e) + ")");
        } finally {
            Files.deleteIfExists(archive);
        }
    }
}

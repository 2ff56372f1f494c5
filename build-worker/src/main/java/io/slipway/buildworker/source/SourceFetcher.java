package io.slipway.buildworker.source;

import io.slipway.shared.archive.ExtractionPolicy;
import io.slipway.shared.archive.SafeUntar;
import io.slipway.buildworker.fs.IoErrors;
import io.slipway.buildworker.run.BuildFailedException;
import io.slipway.shared.net.GuardedHttpClient;
import io.slipway.shared.retry.Backoff;
import io.slipway.shared.retry.Retry;
import io.slipway.buildworker.fs.StoreRetries;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Gets a build's source: downloads the tarball, checks it against the checksum the api-server recorded (when
 * there is one), and unpacks it safely into the build directory. A presigned URL of the platform's own object
 * store is fetched with the platform's client; a URL a user gave ({@code source_blob.url}) only through the
 * {@link GuardedHttpClient}: no internal addresses, every redirect checked, size and time capped.
 */
public final class SourceFetcher {
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);
    private final Download download;

    /** @param commit the commit sha {@code git archive} recorded in the tarball, or null */
    public record Source(long entries, String commit) {}

    private interface Download {
        void to(String url, Path file) throws BuildFailedException, IOException;
    }

    private SourceFetcher(Download download) {
        this.download = download;
    }

    /**
     * For presigned URLs of the platform's own store (which is often on loopback: not a user's address). What a
     * user PUT there through {@code POST /sources} has no size limit in the store, so it is capped here.
     */
    public static SourceFetcher platform(HttpClient http, long maxBytes) {
        return new SourceFetcher((url, file) -> {
            BuildFailedException[] tooLarge = new BuildFailedException[1];
            try {
                // the store may be restarting or cut off for a while: retried with backoff, not failed at once
                Retry.withBackoff("source download", StoreRetries.BUDGET, Backoff.standard(), () -> {
                    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(DOWNLOAD_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() != 200) {
                        response.body().close();
                        throw Retry.forStatus("the object store", response.statusCode());
                    }
                    try {
                        copyCapped(response.body(), file, maxBytes);
                    } catch (BuildFailedException e) {
                        tooLarge[0] = e;
                    }
                    return null;
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading the source");
            } catch (IOException e) {
                throw new BuildFailedException("Could not download the source archive: " + IoErrors.describe(e));
            }
            if (tooLarge[0] != null) throw tooLarge[0];
        });
    }

    /** For a {@code source_blob.url} a user gave. */
    public static SourceFetcher userGiven(GuardedHttpClient http, long maxBytes, Duration timeout) {
        return new SourceFetcher((url, file) -> {
            try {
                http.download(url, file, maxBytes, timeout);
            } catch (IOException e) { // refusals and caps carry their own message
                throw new BuildFailedException("Could not download the source archive: " + IoErrors.describe(e));
            }
        });
    }

    private static void copyCapped(InputStream body, Path file, long maxBytes) throws IOException, BuildFailedException {
        try (InputStream in = body; var out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new BuildFailedException("The source archive is larger than the "
                            + io.slipway.shared.net.Sizes.describe(maxBytes) + " limit.");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    public Source fetch(String url, String expectedChecksum, Path scratch, Path buildDir, long maxBytes)
            throws BuildFailedException, IOException {
        Path archive = scratch.resolve("source.tgz");
        download.to(url, archive);
        if (expectedChecksum != null && !expectedChecksum.isBlank()) {
            String actual = sha256(archive);
            if (!actual.equalsIgnoreCase(expectedChecksum.trim())) {
                throw new BuildFailedException("The source archive does not match its checksum (expected "
                        + expectedChecksum + ", got " + actual + ")");
            }
        }
        try {
            SafeUntar.Result result = SafeUntar.extract(archive, buildDir, ExtractionPolicy.limitedTo(maxBytes));
            if (result.entries() == 0) throw new BuildFailedException("The source archive is empty.");
            String commit = result.globalComment();
            boolean isSha = commit != null && commit.toLowerCase(Locale.ROOT).matches("[0-9a-f]{40}|[0-9a-f]{64}");
            return new Source(result.entries(), isSha ? commit.toLowerCase(Locale.ROOT) : null);
        } catch (SafeUntar.UnsafeArchiveException e) {
            throw new BuildFailedException("The source archive was refused: " + e.getMessage());
        } catch (SafeUntar.CorruptArchiveException e) {
            throw new BuildFailedException("The source archive is not a valid tar.gz: " + e.getMessage());
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** {@code SHA256:<hex>}, the form the api-server uses for checksums. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // reading feeds the digest
            }
            return "SHA256:" + HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

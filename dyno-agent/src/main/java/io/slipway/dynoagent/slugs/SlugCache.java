package io.slipway.dynoagent.slugs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import io.slipway.shared.retry.Backoff;
import io.slipway.shared.retry.Retry;

/**
 * Slug tarballs on this host, by slug id: downloaded once from the presigned URL, shared by every dyno of that
 * slug. A download goes to a temporary file and becomes {@code <id>.tgz} only when complete and, when the
 * assignment carries one, matching its SHA-256 checksum: a partial or corrupt download is never used. A store
 * that is unreachable (restarted, a network cut) is retried with backoff for {@link #RETRY_BUDGET}: the dyno
 * starts late rather than crashing; a 4xx (an expired or wrong URL) fails at once.
 */
public final class SlugCache {
    /** How long an unreachable store is retried before the dyno start fails (then the supervisor's backoff). */
    static final Duration RETRY_BUDGET = Duration.ofMinutes(2);
    private final Path dir;
    private final HttpClient http;
    private final Duration retryBudget;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public SlugCache(Path dir, HttpClient http) {
        this(dir, http, RETRY_BUDGET);
    }

    public SlugCache(Path dir, HttpClient http, Duration retryBudget) {
        this.dir = dir;
        this.http = http;
        this.retryBudget = retryBudget;
    }

    /** The slug's tarball, downloading it first when this host does not have it yet. */
    public Path fetch(String slugId, String url, String checksum) throws IOException, InterruptedException {
        if (slugId == null || !slugId.matches("[A-Za-z0-9_.-]{1,100}") || slugId.startsWith(".")) {
            throw new IOException("bad slug id " + slugId);
        }
        Path target = dir.resolve(slugId + ".tgz");
        synchronized (locks.computeIfAbsent(slugId, k -> new Object())) {
            if (Files.isRegularFile(target)) return target;
            if (url == null) throw new IOException("slug " + slugId + " has no download URL");
            Files.createDirectories(dir);
            return Retry.withBackoff("slug " + slugId + " download", retryBudget, Backoff.standard(),
                    () -> download(slugId, url, checksum, target));
        }
    }

    private Path download(String slugId, String url, String checksum, Path target)
            throws IOException, InterruptedException {
        Path partial = dir.resolve(slugId + ".tgz." + UUID.randomUUID() + ".partial");
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) throw Retry.forStatus("slug download", response.statusCode());
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha)) {
                    in.transferTo(out);
                }
            }
            if (checksum != null && !checksum.isBlank()) {
                String expected = checksum.trim();
                if (!expected.regionMatches(true, 0, "SHA256:", 0, 7)) {
                    throw new Retry.Permanent("unsupported slug checksum " + expected);
                }
                String actual = HexFormat.of().formatHex(sha.digest());
                if (!actual.equals(expected.substring(7).toLowerCase(Locale.ROOT))) {
                    // a cut transfer fails while reading; a complete body that differs will differ again
                    throw new Retry.Permanent("slug " + slugId + " failed its checksum (got SHA256:" + actual + ")");
                }
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}

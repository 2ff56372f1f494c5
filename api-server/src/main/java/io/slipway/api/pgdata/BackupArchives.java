package io.slipway.api.pgdata;

import io.slipway.api.secrets.Digests;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Backup archives served by the API itself, at {@code <public origin>/pg-backup-archives/<transfer id>/<token>}:
 * for an object store the user cannot fetch over HTTPS. The token is random (256 bits), shown once, stored as its
 * SHA-256 on the transfer, and works until the presign TTL runs out, like a presigned URL; a new
 * {@code public-url} replaces it. The archive is streamed from the store, never held in memory.
 */
@Component
public class BackupArchives {
    public static final String PATH_PREFIX = "/pg-backup-archives/";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final PgTransferRepository transfers;
    private final ObjectStorage storage;
    private final ApiServerConfig config;
    private final HttpClient store = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public BackupArchives(PgTransferRepository transfers, ObjectStorage storage, ApiServerConfig config) {
        this.transfers = transfers;
        this.storage = storage;
        this.config = config;
    }

    String issue(PgTransfer backup) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        backup.issueDownload(Digests.sha256Hex(token), Instant.now().plus(config.s3().presignTtl()));
        transfers.save(backup);
        return config.publicOrigin() + PATH_PREFIX + backup.id() + "/" + token;
    }

    /** The archive's bytes and size, or empty when the id, the token or its time is not right. */
    public Optional<Archive> open(String transferId, String token) throws IOException {
        UUID id;
        try {
            id = UUID.fromString(transferId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        PgTransfer t = transfers.findById(id).orElse(null);
        if (t == null || t.downloadTokenSha256() == null || t.downloadExpiresAt() == null
                || Instant.now().isAfter(t.downloadExpiresAt())
                || !MessageDigest.isEqual(t.downloadTokenSha256().getBytes(StandardCharsets.US_ASCII),
                        Digests.sha256Hex(token).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        HttpRequest get = HttpRequest.newBuilder(URI.create(storage.presignGet(t.objectKey())))
                .timeout(Duration.ofHours(1)).GET().build();
        HttpResponse<InputStream> r;
        try {
            r = store.send(get, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (r.statusCode() != 200) {
            r.body().close();
            return Optional.empty();
        }
        long size = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        return Optional.of(new Archive(r.body(), size, "b" + String.format("%03d", t.num()) + ".dump"));
    }

    public record Archive(InputStream body, long size, String fileName) {}

}

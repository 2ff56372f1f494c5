package io.slipway.api.pgdata;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.storage.OwnStoreUrls;
import io.slipway.shared.net.GuardedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Runs transfers in the background of this replica (the CLI polls the transfer until it is finished), two at a
 * time. A backup is {@code pg_dump} to a temporary file, uploaded through a presigned URL of the platform's
 * object store; a restore downloads the archive (a stored backup through a presigned URL, a user's URL through
 * the outbound policy's {@link GuardedHttpClient}, which refuses internal addresses and limits the size) and
 * runs {@code pg_restore}.
 */
@Component
public class TransferRunner implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(TransferRunner.class);
    /** Past this a restore's download is refused. */
    static final long MAX_ARCHIVE_BYTES = 20L * 1024 * 1024 * 1024;
    private final PgTransferRepository transfers;
    private final AddonRepository addons;
    private final PgTools tools;
    private final ObjectStorage storage;
    private final GuardedHttpClient guarded;
    private final OwnStoreUrls ownStoreUrls;
    private final HttpClient ownStore = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "slipway-pg-transfer");
        t.setDaemon(true);
        return t;
    });

    public TransferRunner(PgTransferRepository transfers, AddonRepository addons, PgTools tools,
                          ObjectStorage storage, GuardedHttpClient guarded, OwnStoreUrls ownStoreUrls) {
        this.transfers = transfers;
        this.addons = addons;
        this.tools = tools;
        this.storage = storage;
        this.guarded = guarded;
        this.ownStoreUrls = ownStoreUrls;
    }

    /** Starts the committed transfer; {@code url} is a URL restore's source (kept in memory only: it may hold a token). */
    public void submit(UUID transferId, String url) {
        workers.submit(() -> run(transferId, url));
    }

    void run(UUID transferId, String url) {
        PgTransfer t = transfers.findById(transferId).orElse(null);
        if (t == null) return;
        t.started();
        t = transfers.save(t);
        boolean ok = false;
        long bytes = 0;
        Path file = null;
        try {
            Addon addon = addons.findById(t.addonId()).filter(a -> Addon.PROVISIONED.equals(a.state()))
                    .orElseThrow(() -> new IOException("the database is gone"));
            file = Files.createTempFile("slipway-pg-", ".dump");
            PgTransfer current = t;
            if (t.isBackup()) {
                current.log("pg_dump of " + addon.name() + " started");
                tools.dump(addon, file, current::log);
                bytes = Files.size(file);
                upload(file, t.objectKey(), bytes);
                current.log("backup stored, " + bytes + " bytes");
            } else {
                current.log("downloading the archive");
                download(t, url, file);
                bytes = Files.size(file);
                current.log("pg_restore into " + addon.name() + " started");
                tools.restore(addon, file, current::log);
                current.log("restore done");
            }
            ok = true;
        } catch (IOException | RuntimeException e) {
            t.log("failed: " + e.getMessage());
            log.info("pg transfer {} failed: {}", transferId, e.getMessage());
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file; the OS cleans /tmp
                }
            }
        }
        t.finished(ok, bytes);
        transfers.save(t);
    }

    private void upload(Path file, String key, long bytes) throws IOException {
        HttpRequest put = HttpRequest.newBuilder(URI.create(storage.presignPut(key)))
                .timeout(Duration.ofHours(1))
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        int status = send(put, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 != 2) throw new IOException("the object store answered " + status);
        if (storage.size(key).orElse(-1) != bytes) throw new IOException("the stored backup has the wrong size");
    }

    private void download(PgTransfer t, String url, Path file) throws IOException {
        if (t.sourceId() != null) {
            PgTransfer source = transfers.findById(t.sourceId()).orElseThrow(() -> new IOException("the backup is gone"));
            ownStoreUrls.download(storage.presignGet(source.objectKey()), file, MAX_ARCHIVE_BYTES, Duration.ofHours(1));
        } else {
            guarded.download(url, file, MAX_ARCHIVE_BYTES, Duration.ofHours(1));
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException {
        try {
            return ownStore.send(request, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }
}

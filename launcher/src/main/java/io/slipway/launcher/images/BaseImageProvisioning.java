package io.slipway.launcher.images;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the default base image in the background while {@code slipway up} serves: building it the first time
 * takes minutes (mmdebstrap downloads Debian), and nothing else the platform does waits for it. Until it is
 * imported, a {@code FROM heroku-24} build fails with the platform's "not available: import it" message. Turned
 * off with {@code SLIPWAY_DEFAULT_BASE_IMAGE=off} (an operator who imports their own, or has no Debian mirror).
 * Closing it stops the import at once; a first-time cache build (mmdebstrap) goes on for the next platform of this
 * JVM and is stopped when the JVM exits ({@link DefaultBaseImage#built}).
 */
public final class BaseImageProvisioning implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BaseImageProvisioning.class);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread thread;

    private BaseImageProvisioning(String internalUrl, String operatorToken, Path logFile) {
        thread = new Thread(() -> {
            try {
                DefaultBaseImage.ensureImported(new InternalImagesClient(internalUrl, operatorToken), logFile);
                done.complete(null);
            } catch (RuntimeException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    log.warn("the default base image heroku-24 is not available: {}", e.getMessage());
                }
                done.completeExceptionally(e);
            }
        }, "default-base-image");
        thread.setDaemon(true);
    }

    public static BaseImageProvisioning start(String internalUrl, String operatorToken, Path logFile) {
        BaseImageProvisioning p = new BaseImageProvisioning(internalUrl, operatorToken, logFile);
        if (enabled()) {
            p.thread.start();
        } else {
            log.info("SLIPWAY_DEFAULT_BASE_IMAGE=off: no default base image is provided");
            p.done.complete(null);
        }
        return p;
    }

    static boolean enabled() {
        return !"off".equalsIgnoreCase(System.getenv().getOrDefault("SLIPWAY_DEFAULT_BASE_IMAGE", "on").trim());
    }

    /** Completes when the default images are imported (or were already); exceptionally when that failed. */
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void close() throws InterruptedException {
        if (!thread.isAlive()) return;
        thread.interrupt();
        thread.join(30_000);
    }
}

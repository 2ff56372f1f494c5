package io.slipway.buildworker.slug;

import io.slipway.shared.archive.TreeArchive;
import io.slipway.shared.retry.Backoff;
import io.slipway.shared.retry.Retry;
import io.slipway.buildworker.fs.StoreRetries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Makes the slug: the built app as a {@code .tar.gz} laid out as Heroku's slugs are (everything under
 * {@code ./app/}), without the {@code .git} directory, with its SHA-256; and uploads it to its presigned URL.
 */
public final class SlugPacker {
    private SlugPacker() {}

    public record Slug(Path file, long size, String checksum) {}

    public static Slug pack(Path buildDir, Path target) throws IOException {
        TreeArchive.Written written = TreeArchive.write(buildDir, "./app/", relative -> relative.equals(".git"),
                target);
        return new Slug(target, written.size(), written.checksum());
    }

    /** Uploads the slug; an unreachable store (or a 5xx) is retried with backoff for {@link StoreRetries#BUDGET}. */
    public static void upload(HttpClient http, String putUrl, Slug slug) throws IOException {
        try {
            Retry.withBackoff("slug upload", StoreRetries.BUDGET, Backoff.standard(), () -> {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(putUrl))
                        .timeout(Duration.ofMinutes(15)).PUT(HttpRequest.BodyPublishers.ofFile(slug.file())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw Retry.forStatus("object storage (slug upload)", response.statusCode());
                }
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading the slug");
        }
    }

    /** Heroku's message for a slug over the limit. */
    public static String tooLarge(long size, long max) {
        return "Compiled slug size: " + megabytes(size) + " is too large (max is " + megabytes(max) + ").";
    }

    /** Sizes as Heroku prints them after compressing: {@code 12.4M}, or {@code 236K} under a megabyte. */
    public static String human(long bytes) {
        if (bytes < 1024 * 1024) return Math.max(1, (bytes + 1023) / 1024) + "K";
        return String.format(Locale.ROOT, "%.1fM", bytes / (1024.0 * 1024.0));
    }

    private static String megabytes(long bytes) {
        long mb = bytes / (1024 * 1024);
        if (mb == 0) return human(bytes);
        return mb + "M";
    }
}

package io.slipway.router.acme;

import io.slipway.router.api.InternalGet;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Asks the api-server ({@code GET /internal/acme-challenges/{token}?host=}) for the key authorization of an
 * HTTP-01 challenge under way for that Host. Empty for an unknown token, a token of another host, a malformed
 * token, or when the api-server cannot answer: the ACME server then sees 404 and retries later.
 */
public final class AcmeChallengeClient {
    /** RFC 8555 tokens are base64url; anything else is not asked about. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private final InternalGet api;

    public AcmeChallengeClient(InternalGet api) {
        this.api = api;
    }

    public CompletableFuture<Optional<String>> answer(String token, String host) {
        if (!TOKEN.matcher(token).matches() || host.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        String path = "/internal/acme-challenges/" + token + "?host=" + URLEncoder.encode(host, StandardCharsets.UTF_8);
        return api.getAsync(path)
                .thenApply(r -> r.statusCode() == 200 ? Optional.of(r.body()) : Optional.<String>empty())
                .exceptionally(e -> Optional.empty());
    }
}

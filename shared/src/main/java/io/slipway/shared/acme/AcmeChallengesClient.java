package io.slipway.shared.acme;

import io.slipway.shared.internalapi.InternalTransport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * The router's question {@code GET /internal/acme-challenges/{token}?host=} with the router's token: the key
 * authorization of an HTTP-01 challenge under way for that Host. Asynchronous, as the router needs the answer on
 * its event loop. Here in shared so the api-server's tests hold it to the real server
 * (AcmeChallengesClientContractTest).
 */
public final class AcmeChallengesClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** RFC 8555 tokens are base64url; anything else (a path, an encoded slash) is not asked about. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    /** The api-server's answer: what the router serves as {@code /.well-known/acme-challenge/<token>} on {@code host}. */
    public record KeyAuthorization(String token, String host, String value) {}

    private final InternalTransport api;

    public AcmeChallengesClient(InternalTransport api) {
        this.api = api;
    }

    /**
     * The key authorization, or empty for an unknown token, a token of another host (404), a malformed token or
     * no host (not asked). Any other status fails the future with an
     * {@link io.slipway.shared.internalapi.InternalApiException} as the cause, a failed connection with its
     * IOException.
     */
    /** Whether {@code token} can be an RFC 8555 token (base64url, 1-256 characters): the only ones asked about. */
    public static boolean isToken(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    public CompletableFuture<Optional<KeyAuthorization>> answer(String token, String host) {
        if (!isToken(token) || host == null || host.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String path = "/internal/acme-challenges/" + token + "?host=" + URLEncoder.encode(host, StandardCharsets.UTF_8);
        return api.getAsync(path, TIMEOUT).thenApply(r -> {
            if (r.status() == 404) return Optional.<KeyAuthorization>empty();
            if (r.status() != 200) throw new CompletionException(r.error("GET /internal/acme-challenges/" + token));
            return Optional.of(new KeyAuthorization(token, host, r.body()));
        });
    }
}

package io.slipway.api.logs.drains;

import io.slipway.shared.net.GuardedHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code https://...} (and {@code http://}) drains, as logplex's HTTPS drains: each batch is one POST of
 * {@code application/logplex-1}, the octet-counted frames back to back, with {@code Logplex-Msg-Count},
 * a fresh {@code Logplex-Frame-Id} and the drain's {@code Logplex-Drain-Token}. Credentials in the URL
 * become Basic authentication, as receivers expect. Any status but 2xx is a failed delivery. The client is
 * the guarded one: only addresses the outbound policy allows, no redirects.
 */
final class HttpDrainSender extends DrainSender {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final GuardedHttpClient http;
    private final String url;
    private final String token;

    HttpDrainSender(String drainId, String url, String token, GuardedHttpClient http, int capacity, Duration idle,
                    java.util.function.Consumer<DrainSender> onClose) {
        super(drainId, url, capacity, idle, onClose);
        this.http = http;
        this.url = url;
        this.token = token;
    }

    @Override
    void deliver(List<String> frames) throws IOException {
        StringBuilder body = new StringBuilder();
        for (String f : frames) body.append(f);
        int status = http.post(url, Map.of(
                        "Logplex-Msg-Count", Integer.toString(frames.size()),
                        "Logplex-Frame-Id", UUID.randomUUID().toString().replace("-", ""),
                        "Logplex-Drain-Token", token,
                        "User-Agent", "Logplex/v1 (Slipway)"),
                body.toString().getBytes(StandardCharsets.UTF_8), "application/logplex-1", TIMEOUT);
        if (status / 100 != 2) throw new IOException("HTTP " + status);
    }

    @Override
    void disconnect() {
        // the shared HTTP client keeps (or drops) its own connections
    }
}

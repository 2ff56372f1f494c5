package io.slipway.api.logs.drains;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * {@code https://...} (and {@code http://}) drains, as logplex's HTTPS drains: each batch is one POST of
 * {@code application/logplex-1}, the octet-counted frames back to back, with {@code Logplex-Msg-Count},
 * a fresh {@code Logplex-Frame-Id} and the drain's {@code Logplex-Drain-Token}. Credentials in the URL
 * become Basic authentication, as receivers expect. Any status but 2xx is a failed delivery.
 */
final class HttpDrainSender extends DrainSender {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient http;
    private final URI target;
    private final String authorization;
    private final String token;

    HttpDrainSender(String drainId, String url, String token, HttpClient http, int capacity, Duration idle,
                    java.util.function.Consumer<DrainSender> onClose) {
        super(drainId, url, capacity, idle, onClose);
        this.http = http;
        this.token = token;
        URI uri = URI.create(url);
        String userInfo = uri.getRawUserInfo();
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(
                        java.net.URLDecoder.decode(userInfo, java.nio.charset.StandardCharsets.UTF_8)
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        this.target = userInfo == null ? uri : URI.create(url.replaceFirst("//[^/@]*@", "//"));
    }

    @Override
    void deliver(List<String> frames) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        for (String f : frames) body.append(f);
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/logplex-1")
                .header("Logplex-Msg-Count", Integer.toString(frames.size()))
                .header("Logplex-Frame-Id", UUID.randomUUID().toString().replace("-", ""))
                .header("Logplex-Drain-Token", token)
                .header("User-Agent", "Logplex/v1 (Slipway)")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (authorization != null) request.header("Authorization", authorization);
        HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) throw new IOException("HTTP " + response.statusCode());
    }

    @Override
    void disconnect() {
        // the shared HTTP client keeps (or drops) its own connections
    }
}

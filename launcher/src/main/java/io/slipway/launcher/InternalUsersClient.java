package io.slipway.launcher;

import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /internal/users} on a running platform's internal listener (plain HTTP on loopback), with the
 * operator's token: the only component token allowed to create users.
 */
public final class InternalUsersClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final InternalTransport api;
    private final String url;

    public InternalUsersClient(String internalUrl, String operatorToken) {
        this.url = internalUrl;
        this.api = new InternalTransport(URI.create(internalUrl), operatorToken,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /** Returns the new user's API key; the server's error message (e.g. email taken) otherwise. */
    public String create(String email, String password, boolean admin) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        if (password != null) body.put("password", password);
        body.put("admin", admin);
        Reply response;
        try {
            response = api.json("POST", "/internal/users", body, TIMEOUT);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("interrupted", e);
            throw new IllegalStateException("could not reach the running platform at " + url + ": " + e.getMessage(), e);
        }
        if (response.status() != 201) {
            String message = response.string("message");
            throw new IllegalStateException(message == null || message.isBlank() ? "HTTP " + response.status() : message);
        }
        String key = response.string("api_key");
        return key == null ? "" : key;
    }
}

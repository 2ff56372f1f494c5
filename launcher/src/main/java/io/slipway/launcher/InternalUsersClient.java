package io.slipway.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /internal/users} on a running platform's internal listener (plain HTTP on loopback), with the
 * operator's token: the only component token allowed to create users.
 */
public final class InternalUsersClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http;
    private final String url;
    private final String operatorToken;

    public InternalUsersClient(String internalUrl, String operatorToken) {
        this.url = internalUrl;
        this.operatorToken = operatorToken;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Returns the new user's API key; the server's error message (e.g. email taken) otherwise. */
    public String create(String email, String password, boolean admin) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        if (password != null) body.put("password", password);
        body.put("admin", admin);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/internal/users"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + operatorToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("could not reach the running platform at " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() != 201) {
            String message = json.path("message").asString("HTTP " + response.statusCode());
            throw new IllegalStateException(message.isBlank() ? "HTTP " + response.statusCode() : message);
        }
        return json.path("api_key").asString();
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JacksonException e) {
            return JSON.createObjectNode();
        }
    }
}

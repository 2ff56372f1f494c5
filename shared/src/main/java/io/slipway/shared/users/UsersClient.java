package io.slipway.shared.users;

import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /internal/users} with the operator's token (the only component token allowed to create users): the
 * launcher's {@code users:create} and a cluster's first admin. Here in shared so the api-server's tests hold it to
 * the real server (UsersClientContractTest).
 */
public final class UsersClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final InternalTransport api;

    /** The account made, with its API key (shown to the operator once). */
    public record CreatedUser(String id, String email, String apiKey) {
        @Override
        public String toString() {
            return "CreatedUser[" + id + ", " + email + "]"; // never the key
        }
    }

    public UsersClient(InternalTransport api) {
        this.api = api;
    }

    /**
     * Creates an account ({@code password} null: none, API key only). A refusal (email taken, bad email, wrong
     * token) is an {@link InternalApiException} whose message is the server's own, for the operator to read.
     */
    public CreatedUser create(String email, String password, boolean admin) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        if (password != null) body.put("password", password);
        body.put("admin", admin);
        Reply r = api.json("POST", "/internal/users", body, TIMEOUT);
        if (r.status() != 201) throw r.refusal();
        return new CreatedUser(r.string("id"), r.string("email"), r.string("api_key"));
    }
}

package io.slipway.launcher;

import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.users.UsersClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The launcher's adapter over {@link UsersClient} on a running platform's internal listener (plain HTTP on
 * loopback, the operator's token): failures become {@link IllegalStateException} with what the operator should read.
 */
public final class InternalUsersClient {
    private final UsersClient users;
    private final String url;

    public InternalUsersClient(String internalUrl, String operatorToken) {
        this.url = internalUrl;
        this.users = new UsersClient(new InternalTransport(URI.create(internalUrl), operatorToken,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()));
    }

    /** Returns the new user's API key; the server's error message (e.g. email taken) otherwise. */
    public String create(String email, String password, boolean admin) {
        try {
            String key = users.create(email, password, admin).apiKey();
            return key == null ? "" : key;
        } catch (InternalApiException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("interrupted", e);
            throw new IllegalStateException("could not reach the running platform at " + url + ": " + e.getMessage(), e);
        }
    }
}

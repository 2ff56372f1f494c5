package io.slipway.router.routes;

/**
 * One up web dyno the router may send requests to ({@code web_dynos[]} of the routes contract).
 *
 * @param address the pool key, {@code host:port}: connections are reused per dyno address (computed once here,
 *                not per request)
 */
public record WebDyno(String dynoId, String name, String host, int port, String address) {
    public WebDyno(String dynoId, String name, String host, int port) {
        this(dynoId, name, host, port, host + ":" + port);
    }
}

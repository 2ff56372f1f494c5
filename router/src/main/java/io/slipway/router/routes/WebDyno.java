package io.slipway.router.routes;

/** One up web dyno the router may send requests to ({@code web_dynos[]} of the routes contract). */
public record WebDyno(String dynoId, String name, String host, int port) {
    /** Pool key: connections are reused per dyno address. */
    public String address() {
        return host + ":" + port;
    }
}

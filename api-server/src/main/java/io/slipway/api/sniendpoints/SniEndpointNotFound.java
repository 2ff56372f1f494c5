package io.slipway.api.sniendpoints;

/** No SNI endpoint of that id or name on the app. */
public class SniEndpointNotFound extends RuntimeException {
    private final String identity;

    public SniEndpointNotFound(String identity) {
        super("Couldn't find that sni-endpoint.");
        this.identity = identity;
    }

    public String identity() { return identity; }
}

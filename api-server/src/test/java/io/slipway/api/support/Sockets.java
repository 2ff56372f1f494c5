package io.slipway.api.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;

/** Socket helpers for tests of listeners that must close a connection (the rendezvous' admission limits). */
public final class Sockets {
    private Sockets() {}

    /** Reads until the server closes the connection: -1, also when it resets it (closed with unread data). */
    public static int readUntilClosed(InputStream in) {
        try {
            int b;
            do {
                b = in.read();
            } while (b >= 0);
            return b;
        } catch (SocketException reset) {
            return -1;
        } catch (IOException e) {
            throw new IllegalStateException("the connection was not closed: " + e, e);
        }
    }
}

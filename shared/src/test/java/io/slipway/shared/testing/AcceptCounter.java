package io.slipway.shared.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener on all of the host's addresses that only counts the connections it accepts: it stands in for a
 * platform service (PostgreSQL, the object store, the api-server) that a sandbox's attack tests must not reach.
 */
public final class AcceptCounter implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger accepted = new AtomicInteger();

    public AcceptCounter() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
        Thread acceptor = new Thread(() -> {
            while (true) {
                try (Socket s = socket.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "accept-counter");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

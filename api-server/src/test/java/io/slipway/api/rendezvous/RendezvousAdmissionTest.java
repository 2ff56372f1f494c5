package io.slipway.api.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Sockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Connections to the {@code heroku run} rendezvous that never authenticate: one that sends nothing, and a
 * slow one that trickles a TLS record a byte at a time (each byte well inside any per-read timeout). Both are
 * closed by the admission deadline (5 s by default), not kept for as long as the attacker likes.
 */
class RendezvousAdmissionTest extends ApiTest {
    @Autowired RendezvousServer rendezvous;

    @Test
    void aSilentConnectionIsClosed() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), rendezvous.port())) {
            s.setSoTimeout(60_000); // a guard against hanging the build, far above the deadline
            assertThat(Sockets.readUntilClosed(s.getInputStream())).isEqualTo(-1);
        }
    }

    @Test
    void aTricklingHandshakeIsClosedAtTheDeadline() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), rendezvous.port())) {
            s.setSoTimeout(120_000);
            CompletableFuture<Integer> closed = CompletableFuture.supplyAsync(() -> Sockets.readUntilClosed(input(s)));
            OutputStream out = s.getOutputStream();
            // a TLS handshake record header announcing 16 KiB, then its body one byte at a time
            out.write(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00});
            out.flush();
            // one byte every 250 ms for at most a minute: the old per-read timeout (15 s) never fires
            for (int i = 0; i < 240 && !closed.isDone(); i++) {
                try {
                    out.write(0);
                    out.flush();
                } catch (IOException e) {
                    break; // closed under us: what the test waits for
                }
                Thread.sleep(250); // the attacker's pace, not a synchronisation
            }
            assertThat(closed.get(30, TimeUnit.SECONDS)).as("the server closed the trickling connection").isEqualTo(-1);
        }
    }

    private static InputStream input(Socket s) {
        try {
            return s.getInputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

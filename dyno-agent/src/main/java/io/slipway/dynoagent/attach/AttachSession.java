package io.slipway.dynoagent.attach;

import io.slipway.dynoagent.assignments.Assignment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The dyno's end of a {@code heroku run}: a TLS connection to the api-server's rendezvous, announced with
 * {@code dyno <secret>\r\n}. Bytes from the rendezvous are the user's keystrokes and go to the process's stdin;
 * the process's output goes back unchanged. Without a tty, {@code \x04} (Ctrl-D) means end of input and closes
 * the process's stdin; with a tty it passes through to the pty, whose line discipline makes it EOF.
 */
public final class AttachSession implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AttachSession.class.getName());
    private final SSLSocket socket;
    private final OutputStream out;

    private AttachSession(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /** Connects, verifying the rendezvous's certificate (the platform CA or a public one) and its host name. */
    public static AttachSession connect(Assignment.Attach attach, SSLContext tls) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(attach.host(), attach.port()), 10_000);
            SSLSocket tlsSocket = (SSLSocket) tls.getSocketFactory()
                    .createSocket(socket, attach.host(), attach.port(), true);
            SSLParameters params = tlsSocket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tlsSocket.setSSLParameters(params);
            tlsSocket.startHandshake();
            AttachSession session = new AttachSession(tlsSocket);
            session.out.write(("dyno " + attach.secret() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            session.out.flush();
            return session;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Where the process's output goes. */
    public OutputStream output() {
        return out;
    }

    /** Starts copying the user's input to the process until either side ends. */
    public void pipeInputTo(OutputStream stdin, boolean tty) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (stdin) {
                InputStream in = socket.getInputStream();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (!tty) {
                        int eot = indexOf(buffer, n, (byte) 4);
                        if (eot >= 0) {
                            stdin.write(buffer, 0, eot);
                            stdin.flush();
                            return; // closing stdin: the process reads end-of-file
                        }
                    }
                    stdin.write(buffer, 0, n);
                    stdin.flush();
                }
            } catch (IOException e) {
                // the user went away or the process ended
            }
        }, "attach-in");
        t.setDaemon(true);
        t.start();
    }

    private static int indexOf(byte[] buffer, int n, byte b) {
        for (int i = 0; i < n; i++) if (buffer[i] == b) return i;
        return -1;
    }

    /** Ends the session once the process exited and its output was written. */
    @Override
    public void close() {
        try {
            out.flush();
            socket.close(); // sends TLS close_notify
        } catch (IOException e) {
            LOG.fine("closing attach connection: " + e.getMessage());
        }
    }
}

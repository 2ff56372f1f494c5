package io.slipway.dynoagent.attach;

import io.slipway.shared.agents.Assignment;
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
    /** Set when this side ends the session (the process ended): the connection closing then is no hang-up. */
    private volatile boolean closed;

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

    /**
     * Starts copying the user's input to the process, and watching the connection: when it ends while the process
     * still runs (the CLI killed, its network gone, the api-server replica carrying the session gone),
     * {@code onHangup} runs, and the dyno must stop, as on Heroku. Ctrl-D without a tty ends the input only.
     */
    public void pipeInputTo(OutputStream stdin, boolean tty, Runnable onHangup) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            boolean inputOpen = true;
            try {
                InputStream in = socket.getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!inputOpen || n == 0) continue; // after Ctrl-D: only watching for the user going away
                    int eot = tty ? -1 : indexOf(buffer, n, (byte) 4);
                    inputOpen = write(stdin, buffer, eot >= 0 ? eot : n);
                    if (eot >= 0 && inputOpen) {
                        closeQuietly(stdin); // the process reads end-of-file
                        inputOpen = false;
                    }
                }
            } catch (IOException e) {
                // the connection broke
            } finally {
                closeQuietly(stdin);
            }
            if (!closed) onHangup.run();
        }, "attach-in");
        t.setDaemon(true);
        t.start();
    }

    /** False once the process no longer takes input (it closed its stdin or ended). */
    private static boolean write(OutputStream stdin, byte[] buffer, int n) {
        try {
            stdin.write(buffer, 0, n);
            stdin.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(OutputStream stdin) {
        try {
            stdin.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static int indexOf(byte[] buffer, int n, byte b) {
        for (int i = 0; i < n; i++) if (buffer[i] == b) return i;
        return -1;
    }

    /** Ends the session once the process exited and its output was written. */
    @Override
    public void close() {
        closed = true;
        try {
            out.flush();
            socket.close(); // sends TLS close_notify
        } catch (IOException e) {
            LOG.fine("closing attach connection: " + e.getMessage());
        }
    }
}

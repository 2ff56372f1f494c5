package io.slipway.api.logs.drains;

import java.io.IOException;
import java.io.OutputStream;
import io.slipway.shared.net.OutboundPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@code syslog://host:port} (TCP) and {@code syslog+tls://host:port} (TLS, the JVM's trusted CAs and host
 * name check): one long-lived connection, octet-counted frames written back to back. The host is resolved and
 * checked by the outbound policy, and the socket connects to the checked address (no second lookup).
 */
final class SyslogDrainSender extends DrainSender {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private final URI uri;
    private final boolean tls;
    private final OutboundPolicy policy;
    private Socket socket;
    private OutputStream out;

    SyslogDrainSender(String drainId, String url, OutboundPolicy policy, int capacity, Duration idle,
                      java.util.function.Consumer<DrainSender> onClose) {
        super(drainId, url, capacity, idle, onClose);
        this.policy = policy;
        this.uri = URI.create(url);
        this.tls = url.toLowerCase(java.util.Locale.ROOT).startsWith("syslog+tls:");
    }

    @Override
    void deliver(List<String> frames) throws IOException {
        if (out == null) connect();
        StringBuilder b = new StringBuilder();
        for (String f : frames) b.append(f);
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void connect() throws IOException {
        InetAddress address = policy.resolve(uri.getHost())[0];
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(address, uri.getPort()), CONNECT_TIMEOUT_MILLIS);
            s.setKeepAlive(true);
            if (tls) {
                SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(s, uri.getHost(), uri.getPort(), true);
                var params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names the host
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                s = ssl;
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = s.getOutputStream();
    }

    @Override
    void disconnect() {
        Socket s = socket;
        socket = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }
}

package io.slipway.api.rendezvous;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.secrets.SecretsKeyRing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a half of a {@code heroku run} session from the replica it landed on to the replica holding its partner
 * ({@link RendezvousDirectory}): a TLS connection to that replica's rendezvous listener ({@code relay-address}),
 * first line {@code relay <mac> <the half's own first line>}, then the bytes both ways untouched, so the far
 * replica serves the half exactly as if it had connected there (banner, pause, grace, timeouts).
 *
 * <p>The mac is an HMAC-SHA256 of the half's line under a key derived from the secrets key ring that only
 * the replicas hold: a relayed line is never relayed again (no loops), so nobody but a replica may mark a
 * connection as relayed. The far replica is identified by its certificate ({@code relay-trust}, or this
 * replica's own), not by a host name, since replicas reach each other by internal addresses.
 */
final class RendezvousRelay {
    private static final Logger log = LoggerFactory.getLogger(RendezvousRelay.class);
    static final String PREFIX = "relay ";
    private static final byte[] CONTEXT = "slipway rendezvous relay v1".getBytes(StandardCharsets.US_ASCII);
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    private final String ownAddress;
    private final SSLContext client;
    private final List<SecretKey> keys; // the primary's derivation first: it signs; any verifies (rotation)
    private final int idleTimeoutMillis;

    private RendezvousRelay(String ownAddress, SSLContext client, List<SecretKey> keys, int idleTimeoutMillis) {
        this.ownAddress = ownAddress;
        this.client = client;
        this.keys = keys;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    /** The relay of this replica; null when {@code relay-address} is not set (one replica: nothing to relay). */
    static RendezvousRelay create(ApiServerConfig config, String ownCertificate, int boundPort, int idleTimeoutMillis)
            throws IOException, GeneralSecurityException {
        ApiServerConfig.Rendezvous r = config.rendezvous();
        if (r.relayAddress() == null || r.relayAddress().isBlank()) return null;
        String address = r.relayAddress().strip();
        // a bare host (or IPv6 literal in brackets): this replica's listening port
        if (!address.matches(".*:[0-9]+") || address.matches("[0-9a-fA-F:]+")) address = address + ":" + boundPort;
        String trust = r.relayTrust() == null || r.relayTrust().isBlank() ? ownCertificate : r.relayTrust();
        SecretsKeyRing ring = SecretsKeyRing.load(config.secrets().key(), config.secrets().keyFile());
        List<SecretKey> keys = new ArrayList<>();
        keys.add(derive(ring.primary()));
        for (String id : ring.ids()) if (!id.equals(ring.primaryId())) keys.add(derive(ring.key(id)));
        return new RendezvousRelay(address, PemKeyStore.clientContext(PemKeyStore.certificates(trust)),
                List.copyOf(keys), idleTimeoutMillis);
    }

    String ownAddress() {
        return ownAddress;
    }

    /** The half's own first line if {@code line} is a relay line with a valid mac; null otherwise. */
    String unwrap(String line) {
        int space = line.indexOf(' ', PREFIX.length());
        if (space < 0) return null;
        byte[] mac;
        try {
            mac = HexFormat.of().parseHex(line.substring(PREFIX.length(), space));
        } catch (IllegalArgumentException e) {
            return null;
        }
        String inner = line.substring(space + 1);
        for (SecretKey k : keys) if (MessageDigest.isEqual(mac, mac(k, inner))) return inner;
        return null;
    }

    /** A connection to the replica at {@code address} that carries the half whose first line was {@code line}. */
    Socket open(String address, String line) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) throw new IOException("relay address without a port: " + address);
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        Socket tcp = new Socket();
        try {
            tcp.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            tcp.setTcpNoDelay(true);
            tcp.setSoTimeout(idleTimeoutMillis);
            SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(tcp, host, port, true);
            tls.startHandshake();
            String relayLine = PREFIX + HexFormat.of().formatHex(mac(keys.get(0), line)) + " " + line + "\r\n";
            tls.getOutputStream().write(relayLine.getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            return tls;
        } catch (IOException | RuntimeException e) {
            Pairing.closeQuietly(tcp);
            throw e;
        }
    }

    /**
     * Copies bytes both ways between the half and its relay connection until either side ends, then closes both
     * (the far replica decides when the session is over; this one only carries it). Returns when done.
     */
    void pipe(Socket half, Socket far, ExecutorService threads) {
        try {
            half.setSoTimeout(idleTimeoutMillis);
        } catch (IOException e) {
            Pairing.closeQuietly(half);
            Pairing.closeQuietly(far);
            return;
        }
        threads.submit(() -> copy(far, half));
        copy(half, far);
    }

    private static void copy(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            log.debug("rendezvous relay ended: {}", e.toString());
        } finally {
            Pairing.closeQuietly(from);
            Pairing.closeQuietly(to);
        }
    }

    private static SecretKey derive(SecretKey secretsKey) throws GeneralSecurityException {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(secretsKey.getEncoded(), "HmacSHA256"));
        return new SecretKeySpec(m.doFinal(CONTEXT), "HmacSHA256");
    }

    private static byte[] mac(SecretKey key, String text) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

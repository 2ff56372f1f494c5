package io.slipway.api.rendezvous;

import io.slipway.api.ApiServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The TLS rendezvous of {@code heroku run} (cli-compat C.2, docs/internal-api.md). The CLI connects and
 * writes {@code <secret>\r\n}; the dyno-agent running the one-off connects and writes
 * {@code dyno <secret>\r\n}. Secrets are admitted only if a dyno row holds them (a map lookup in PostgreSQL,
 * so an unknown secret learns nothing and is closed). The CLI gets the banner {@code rendezvous\r\n} at once,
 * as its own TLS record, and no output for ~300 ms (the CLI throws its first chunk away); its input waits in
 * the socket until the dyno side is there. Then bytes flow both ways; once the dyno side closed (the process
 * exited and its output was sent), the CLI has up to 1.5 s to send its {@code \x04} or close before the
 * session is closed, because closing earlier makes the CLI fail writing that byte.
 *
 * <p>With several api-server replicas ({@code relay-address} set on each), the two halves may land on different
 * replicas: the first to arrive claims the session for its replica ({@link RendezvousDirectory}), and the other,
 * wherever it lands, is relayed there ({@link RendezvousRelay}) after its secret was checked like any other.
 *
 * <p>Anyone can connect, so a connection costs nothing until it is admitted: one that has not finished TLS and
 * sent a known secret within {@code auth-timeout} (in all, not per read) is closed, at most {@code max-pending}
 * wait to be admitted and at most {@code max-connections} exist at all; past either cap a new connection is
 * closed as soon as it is accepted, before any TLS work or thread.
 */
@Component
public class RendezvousServer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RendezvousServer.class);
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final byte[] BANNER = "rendezvous\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long BANNER_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long CLI_EOF_GRACE_MILLIS = 1_500;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 15_000;
    private static final int IDLE_TIMEOUT_MILLIS = 3_600_000;

    private final ApiServerConfig.Rendezvous config;
    private final Environment environment;
    private final AttachSecrets attachSecrets;
    private final RendezvousDirectory directory;
    private volatile RendezvousRelay relay;
    private final Map<String, Pairing> pairings = new ConcurrentHashMap<>();
    /** Halves this replica carries to another one: closed when it stops, like its own pairings. */
    private final java.util.Set<Socket> relaying = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile int boundPort = -1;
    private ServerSocket server;
    private SSLContext tls;
    private ExecutorService connections;
    private ScheduledExecutorService deadlines;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();
    private final ApiServerConfig fullConfig;

    public RendezvousServer(ApiServerConfig config, Environment environment, AttachSecrets attachSecrets,
                            RendezvousDirectory directory) {
        this.config = config.rendezvous();
        this.fullConfig = config;
        this.environment = environment;
        this.attachSecrets = attachSecrets;
        this.directory = directory;
    }

    /** The listening port, or -1 when the rendezvous is off. */
    public int port() {
        return boundPort;
    }

    public String publicHost() {
        return config.publicHost();
    }

    /** The port the CLI and the agents connect to: {@code public-port} (a balancer's), else the listening one. */
    public int publicPort() {
        return config.publicPort() > 0 && boundPort >= 0 ? config.publicPort() : boundPort;
    }

    /** {@code rendezvous://<public host>:<public port>/<secret>} */
    public String attachUrl(String secret) {
        return "rendezvous://" + publicHost() + ":" + publicPort() + "/" + secret;
    }

    /** Before the web server: a replica that answers has its rendezvous listening (else runs are refused as off). */
    @Override
    public int getPhase() { return DEFAULT_PHASE - 4096; }

    @Override
    public synchronized void start() {
        if (running) return;
        running = true;
        if (config.port() < 0) {
            log.info("heroku run rendezvous is off (slipway.rendezvous.port=-1)");
            return;
        }
        String certificate = firstSet(config.certificate(), environment.getProperty("server.ssl.certificate"));
        String key = firstSet(config.privateKey(), environment.getProperty("server.ssl.certificate-private-key"));
        if (certificate == null || key == null) {
            log.warn("heroku run rendezvous is off: no certificate (slipway.rendezvous.certificate/private-key "
                    + "or server.ssl.certificate/certificate-private-key)");
            return;
        }
        try {
            tls = PemKeyStore.serverContext(certificate, key);
            // plain TCP accepted here, TLS layered on in the session thread: the admission deadline can then
            // close the TCP socket under a handshake that never finishes
            server = new ServerSocket(config.port(), 128);
            relay = RendezvousRelay.create(fullConfig, certificate, server.getLocalPort(), IDLE_TIMEOUT_MILLIS);
            boundPort = server.getLocalPort();
        } catch (Exception e) {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // it was never served
                }
            }
            // the rest of the API still works; heroku run with attach answers 422 while the rendezvous is off
            log.error("heroku run rendezvous is off: cannot listen on port {} with {} / {}: {}", config.port(),
                    certificate, key, e.toString());
            return;
        }
        // Java 17: a thread per connection from a cached pool (sessions are few and mostly idle)
        connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "slipway-rendezvous-session");
            t.setDaemon(true);
            return t;
        });
        deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slipway-rendezvous-deadlines");
            t.setDaemon(true);
            return t;
        });
        Thread accept = new Thread(this::acceptLoop, "slipway-rendezvous");
        accept.setDaemon(true);
        accept.start();
        log.info("heroku run rendezvous listening on port {} (public host {})", boundPort, config.publicHost());
    }

    @Override
    public synchronized void stop() {
        running = false;
        boundPort = -1;
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        pairings.values().forEach(Pairing::close);
        pairings.clear();
        relaying.forEach(Pairing::closeQuietly);
        if (connections != null) connections.shutdownNow();
        if (deadlines != null) deadlines.shutdownNow();
    }

    /** Connections now not yet admitted (for tests and operators). */
    public int pendingConnections() {
        return pending.get();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (running) {
            try {
                Socket socket = s.accept();
                if (pending.get() >= config.maxPending() || total.get() >= config.maxConnections()) {
                    Pairing.closeQuietly(socket);
                    continue;
                }
                pending.incrementAndGet();
                total.incrementAndGet();
                connections.submit(() -> {
                    try {
                        admitAndServe(socket);
                    } finally {
                        total.decrementAndGet();
                    }
                });
            } catch (IOException e) {
                if (running) log.warn("rendezvous accept failed: {}", e.toString());
                if (s.isClosed()) return;
            } catch (RuntimeException e) {
                log.warn("rendezvous connection refused: {}", e.toString());
            }
        }
    }

    /** TLS and the secret line within the admission deadline, then the session; counts as pending until admitted. */
    private void admitAndServe(Socket tcp) {
        AtomicBoolean admitted = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            if (!admitted.get()) Pairing.closeQuietly(tcp);
        }, config.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        Runnable admit = () -> {
            if (admitted.compareAndSet(false, true)) {
                deadline.cancel(false);
                pending.decrementAndGet();
            }
        };
        try {
            tcp.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            tcp.setTcpNoDelay(true);
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(tcp, null, true);
            handle(socket, admit);
        } catch (IOException | RuntimeException e) {
            log.debug("rendezvous connection refused: {}", e.toString());
            Pairing.closeQuietly(tcp);
        } finally {
            if (admitted.compareAndSet(false, true)) {
                deadline.cancel(false);
                pending.decrementAndGet();
            }
        }
    }

    private void handle(SSLSocket socket, Runnable admit) {
        Pairing pairing = null;
        try {
            String line = firstLine(socket.getInputStream());
            RendezvousRelay relay = this.relay;
            boolean relayed = line != null && relay != null && line.startsWith(RendezvousRelay.PREFIX);
            if (relayed) line = relay.unwrap(line); // null (closed below) unless another replica sent it
            boolean dynoSide = line != null && line.startsWith("dyno ");
            String secret = line == null ? null : dynoSide ? line.substring(5).strip() : line.strip();
            if (secret == null || !SECRET.matcher(secret).matches() || !attachSecrets.exists(secret)) {
                Pairing.closeQuietly(socket);
                return;
            }
            admit.run();
            if (relay != null && relayElsewhere(relay, socket, secret, line, relayed)) return;
            pairing = pairings.computeIfAbsent(secret, Pairing::new);
            if (!(dynoSide ? pairing.attachDyno(socket) : pairing.attachCli(socket))) {
                Pairing.closeQuietly(socket); // that end is already connected
                return;
            }
            if (!dynoSide) {
                OutputStream out = socket.getOutputStream();
                out.write(BANNER);
                out.flush();
                pairing.bannerNanos = System.nanoTime();
                pairing.bannerSent.countDown();
            }
            long deadline = System.nanoTime() + config.pairTimeout().toNanos();
            if (!pairing.awaitBoth(deadline)) {
                end(pairing);
                return;
            }
            socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            if (dynoSide) pumpOutput(pairing);
            else pumpInput(pairing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (pairing != null) end(pairing);
            else Pairing.closeQuietly(socket);
        } catch (IOException | RuntimeException e) {
            log.debug("rendezvous connection ended: {}", e.toString());
            if (pairing != null) end(pairing);
            else Pairing.closeQuietly(socket);
        }
    }

    /** Dyno → CLI: the process's output. When the dyno side is done, give the CLI its grace, then close. */
    private void pumpOutput(Pairing pairing) throws InterruptedException {
        try {
            InputStream in = pairing.dyno().getInputStream();
            OutputStream out = pairing.cli().getOutputStream();
            pairing.bannerSent.await();
            long wait = pairing.bannerNanos + BANNER_PAUSE_NANOS - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            log.debug("rendezvous output ended: {}", e.toString());
        }
        pairing.cliFinished.await(CLI_EOF_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        end(pairing);
    }

    /** CLI → dyno: the user's input. \x04 or the CLI closing lets the session end after the process. */
    private void pumpInput(Pairing pairing) {
        boolean dynoGone = false;
        try {
            InputStream in = pairing.cli().getInputStream();
            OutputStream out = pairing.dyno().getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                for (int i = 0; i < n; i++) if (buffer[i] == 0x04) pairing.cliFinished.countDown();
                if (dynoGone) continue;
                try {
                    out.write(buffer, 0, n);
                    out.flush();
                } catch (IOException e) {
                    dynoGone = true; // keep reading: the CLI's \x04 may still come
                }
            }
        } catch (SocketException e) {
            log.debug("rendezvous input ended: {}", e.toString());
        } catch (IOException e) {
            log.debug("rendezvous input failed: {}", e.toString());
        }
        // the CLI is gone: nobody reads the output any more
        pairing.cliFinished.countDown();
        end(pairing);
    }

    /**
     * Whether this half was carried to the replica holding its partner (and is done): the session is claimed
     * for this replica unless another holds it; a relayed half always stays (it was sent here to meet). When
     * the holder does not answer, the session is taken over and waits here.
     */
    private boolean relayElsewhere(RendezvousRelay relay, Socket socket, String secret, String line, boolean relayed) {
        String holder = directory.claim(secret, relay.ownAddress(), config.pairTimeout());
        if (relayed || holder.equals(relay.ownAddress())) return false;
        Socket far;
        try {
            far = relay.open(holder, line);
        } catch (IOException | RuntimeException e) {
            log.warn("heroku run: replica {} holding a session does not answer ({}); the session waits here",
                    holder, e.toString());
            directory.takeOver(secret, holder, relay.ownAddress());
            return false;
        }
        relaying.add(socket);
        relaying.add(far);
        try {
            relay.pipe(socket, far, connections);
        } finally {
            relaying.remove(socket);
            relaying.remove(far);
        }
        return true;
    }

    private void end(Pairing pairing) {
        pairing.close();
        if (pairings.remove(pairing.secret, pairing)) {
            RendezvousRelay relay = this.relay;
            if (relay != null) {
                try {
                    directory.release(pairing.secret, relay.ownAddress());
                } catch (RuntimeException e) {
                    // the row goes stale after pair-timeout and is taken over then
                    log.debug("rendezvous: could not release a session's row: {}", e.toString());
                }
            }
        }
    }

    /** The first line, at most 256 bytes, without its line end; null when the peer sent none. */
    private static String firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') return line.toString(StandardCharsets.US_ASCII).strip();
            if (line.size() >= 256) return null;
            line.write(b);
        }
        return null;
    }

    private static String firstSet(String a, String b) {
        if (a != null && !a.isBlank()) return a;
        return b == null || b.isBlank() ? null : b;
    }
}

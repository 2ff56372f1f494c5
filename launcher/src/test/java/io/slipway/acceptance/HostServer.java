package io.slipway.acceptance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A plain HTTP server for builds in their sandbox, which reaches the internet but not this host: it listens on the
 * host's end of an {@link OutsideNetwork} and builds reach it through that namespace's relay. It serves
 * <ul>
 *   <li>{@code /m2/**}: this machine's local Maven repository, read-only, so a Maven app whose
 *       {@code settings.xml} lists it resolves its plugins without the network (as the build-worker's own
 *       Maven test does);</li>
 *   <li>{@code /gate/<name>}: a gate a build script polls: {@code 503} until the test opens it, then
 *       {@code 200}; the test can wait until the build arrived there.</li>
 * </ul>
 */
final class HostServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Path mavenRepository;
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private final OutsideNetwork outside;
    private final String url;

    /** A point a build waits at until the test lets it go on. */
    static final class Gate {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private volatile boolean open;

        boolean awaitArrival(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void open() {
            open = true;
        }
    }

    HostServer(Path mavenRepository) throws IOException, InterruptedException {
        this.mavenRepository = mavenRepository.toAbsolutePath().normalize();
        outside = new OutsideNetwork();
        server = HttpServer.create(new InetSocketAddress(outside.hostAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/m2/", this::maven);
        server.createContext("/gate/", this::gate);
        server.start();
        int port = server.getAddress().getPort();
        url = "http://" + outside.relay(port) + ":" + port;
    }

    String url() {
        return url;
    }

    /** A new gate; a build polls {@code url} until it is opened. */
    Gate gate(String name) {
        Gate gate = new Gate();
        gates.put(name, gate);
        return gate;
    }

    String gateUrl(String name) {
        return url() + "/gate/" + name;
    }

    private void gate(HttpExchange ex) throws IOException {
        try (ex) {
            Gate gate = gates.get(ex.getRequestURI().getPath().substring("/gate/".length()));
            if (gate == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            gate.arrived.countDown();
            ex.sendResponseHeaders(gate.open ? 200 : 503, -1);
        }
    }

    private void maven(HttpExchange ex) throws IOException {
        try (ex) {
            Path file = mavenRepository.resolve(ex.getRequestURI().getPath().substring("/m2/".length())).normalize();
            boolean readable = file.startsWith(mavenRepository) && Files.isRegularFile(file);
            if (!readable || !(ex.getRequestMethod().equals("GET") || ex.getRequestMethod().equals("HEAD"))) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", String.valueOf(Files.size(file)));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = ex.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        outside.close();
    }
}

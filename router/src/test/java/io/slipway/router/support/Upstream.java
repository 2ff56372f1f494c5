package io.slipway.router.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A web dyno for tests: a JDK HTTP server (keep-alive) that says who it is, echoes and counts bodies, streams
 * large downloads, or answers slowly; it records every request's headers and the router's source port.
 */
public final class Upstream implements AutoCloseable {
    /** {@code target} is the request target exactly as the request line had it. */
    public record Seen(String path, Headers headers, int remotePort, String target) {}

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "upstream");
        t.setDaemon(true);
        return t;
    });
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public Upstream(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Seen> seen() {
        return seen;
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String query = x.getRequestURI().getQuery();
        seen.add(new Seen(path, x.getRequestHeaders(), x.getRemoteAddress().getPort(), x.getRequestURI().toString()));
        try {
            switch (path) {
                case "/count" -> count(x);
                case "/download" -> download(x, Long.parseLong(query.substring("bytes=".length())));
                case "/slow" -> {
                    Thread.sleep(Long.parseLong(query.substring("ms=".length())));
                    text(x, 200, "slow " + name);
                }
                default -> text(x, 200, "hello from " + name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            x.close();
        }
    }

    /** Reads the body as it streams in; answers its length and SHA-256. */
    private void count(HttpExchange x) throws IOException {
        MessageDigest sha = sha256();
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = x.getRequestBody()) {
            int r;
            while ((r = in.read(buf)) > 0) {
                sha.update(buf, 0, r);
                n += r;
            }
        }
        text(x, 200, n + " " + HexFormat.of().formatHex(sha.digest()));
    }

    /** A chunked response of {@code bytes} bytes of a repeating pattern. */
    private void download(HttpExchange x, long bytes) throws IOException {
        x.sendResponseHeaders(200, 0);
        byte[] buf = Patterns.block();
        try (OutputStream out = x.getResponseBody()) {
            long left = bytes;
            while (left > 0) {
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    private static void text(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

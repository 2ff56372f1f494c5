package io.slipway.dynoagent.attach;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Stands in for the api-server's rendezvous: a TLS listener with a self-signed certificate (made with keytool)
 * that takes one dyno connection, checks its {@code dyno <secret>} line, sends the user's input and collects the
 * output until the dyno side closes.
 */
final class TestRendezvous implements AutoCloseable {
    final Path caPem;
    private final SSLServerSocket server;

    TestRendezvous(Path dir) throws Exception {
        Path keystore = dir.resolve("rendezvous.p12");
        caPem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "rv", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "rv", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caPem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"));
    }

    int port() {
        return server.getLocalPort();
    }

    /**
     * Accepts the dyno, sends {@code input}, reads its output until {@code marker} appears, then closes the
     * connection: the user went away (the CLI killed, the network or an api-server replica gone). Completes with
     * the output read.
     */
    CompletableFuture<String> hangUpAfter(byte[] input, String marker) {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                InputStream in = s.getInputStream();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') { /* the dyno's secret line */ }
                OutputStream out = s.getOutputStream();
                out.write(input);
                out.flush();
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                while (!seen.toString(StandardCharsets.UTF_8).contains(marker) && (b = in.read()) >= 0) seen.write(b);
                return seen.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    /** Accepts the dyno, answers its first line; sends {@code input}; completes with everything it received after. */
    CompletableFuture<String[]> session(byte[] input) {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream first = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') first.write(b);
                OutputStream out = s.getOutputStream();
                out.write(input);
                out.flush();
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                in.transferTo(rest);
                return new String[] {first.toString(StandardCharsets.UTF_8), rest.toString(StandardCharsets.UTF_8)};
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("keytool failed: " + out);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

package io.slipway.api.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.secrets.Digests;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Replica;
import io.slipway.api.support.TestCertificates;
import io.slipway.api.support.TestDeploys;
import io.slipway.shared.net.LocalPorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * heroku run across two api-server replicas on one database, over real TLS sockets: the CLI's half on replica
 * A (this context) and the dyno's on replica B ({@link Replica#second()}), in either order; the half that lands
 * without its partner is relayed to the replica holding it. Secrets are checked on B as on A, and only a
 * replica can mark a connection as relayed.
 */
@ExtendWith(Replica.StopSecond.class)
class RendezvousReplicasTest extends ApiTest {
    private static final String EXIT = "\uFFFF heroku-command-exit-status: 3\n";
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void cliOnOneReplicaAndDynoOnAnother() throws Exception {
        Replica b = Replica.second();
        URI attach = runAttached();
        String secret = attach.getPath().substring(1);
        try (SSLSocket cli = connect(attach.getPort())) {
            send(cli, secret + "\r\n");
            assertThat(readChunk(cli)).isEqualTo("rendezvous\r\n");
            send(cli, "echo hi\n");
            try (SSLSocket dyno = connect(b.rendezvousPort())) {
                send(dyno, "dyno " + secret + "\r\n");
                assertThat(readUntil(dyno.getInputStream(), "echo hi\n")).isEqualTo("echo hi\n");
                send(dyno, "hi\r\n" + EXIT);
                assertThat(readUntil(cli.getInputStream(), "hi\r\n" + EXIT)).isEqualTo("hi\r\n" + EXIT);
                send(cli, "more\n");
                assertThat(readUntil(dyno.getInputStream(), "more\n")).isEqualTo("more\n");
            }
            send(cli, "\u0004");
            assertThat(readToEnd(cli.getInputStream())).isEmpty();
        }
        TestDeploys.await("the session's directory row is gone", () -> claims(secret) == 0);
    }

    @Test
    void dynoWaitingOnOneReplicaAndCliOnAnother() throws Exception {
        Replica b = Replica.second();
        URI attach = runAttached();
        String secret = attach.getPath().substring(1);
        try (SSLSocket dyno = connect(b.rendezvousPort())) {
            send(dyno, "dyno " + secret + "\r\n");
            send(dyno, "early output\n");
            TestDeploys.await("the dyno's half is claimed", () -> claims(secret) == 1);
            try (SSLSocket cli = connect(attach.getPort())) {
                send(cli, secret + "\r\n");
                // the banner, sent by B, still comes alone in its record through A
                assertThat(readChunk(cli)).isEqualTo("rendezvous\r\n");
                assertThat(readUntil(cli.getInputStream(), "early output\n")).isEqualTo("early output\n");
                send(cli, "input\n");
                assertThat(readUntil(dyno.getInputStream(), "input\n")).isEqualTo("input\n");
                send(dyno, EXIT);
                assertThat(readUntil(cli.getInputStream(), EXIT)).isEqualTo(EXIT);
                dyno.close();
                assertThat(readToEnd(cli.getInputStream())).isEmpty();
            }
        }
    }

    @Test
    void aSessionClaimedByAReplicaThatIsGoneIsTakenOver() throws Exception {
        Replica b = Replica.second();
        URI attach = runAttached();
        String secret = attach.getPath().substring(1);
        int dead = LocalPorts.freePort(); // nothing listens there: a replica that died
        jdbc.update("INSERT INTO rendezvous_halves (secret_hash, relay_address) VALUES (?, ?)",
                Digests.sha256Hex(secret), "127.0.0.1:" + dead);
        try (SSLSocket cli = connect(attach.getPort())) {
            send(cli, secret + "\r\n");
            assertThat(readChunk(cli)).isEqualTo("rendezvous\r\n");
            TestDeploys.await("the session taken over by A", () -> !jdbc.queryForObject(
                    "SELECT relay_address FROM rendezvous_halves WHERE secret_hash = ?", String.class,
                    Digests.sha256Hex(secret)).endsWith(":" + dead));
            try (SSLSocket dyno = connect(b.rendezvousPort())) {
                send(dyno, "dyno " + secret + "\r\n");
                send(dyno, "still works\n");
                assertThat(readUntil(cli.getInputStream(), "still works\n")).isEqualTo("still works\n");
            }
            assertThat(readToEnd(cli.getInputStream())).isEmpty();
        }
    }

    @Test
    void unknownSecretsAndForgedRelaysAreRefusedOnEveryReplica() throws Exception {
        Replica b = Replica.second();
        URI attach = runAttached();
        String secret = attach.getPath().substring(1);
        String[] refused = {"0123456789abcdef0123456789abcdef\r\n", "dyno 0123456789abcdef0123456789abcdef\r\n",
                // a real secret, marked as relayed without a replica's mac: not admitted
                "relay " + "00".repeat(32) + " " + secret + "\r\n",
                "relay " + "00".repeat(32) + " dyno " + secret + "\r\n"};
        for (int port : new int[] {attach.getPort(), b.rendezvousPort()}) {
            for (String line : refused) {
                try (SSLSocket s = connect(port)) {
                    send(s, line);
                    assertThat(readToEnd(s.getInputStream())).as("%s on port %d", line.strip(), port).isEmpty();
                }
            }
        }
        assertThat(claims(secret)).isZero();
    }

    private int claims(String secret) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM rendezvous_halves WHERE secret_hash = ?", Integer.class,
                Digests.sha256Hex(secret));
        return n == null ? 0 : n;
    }

    private URI runAttached() {
        User alice = newUser();
        String app = uniqueAppName("rdvr");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        JsonNode run = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":true,\"command\":\"bash\",\"env\":{\"TERM\":\"dumb\"}}").send().expect(201).json();
        return URI.create(run.path("attach_url").asText());
    }

    private static SSLSocket connect(int port) throws IOException {
        SSLSocket s = (SSLSocket) TestCertificates.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(30_000);
        s.startHandshake();
        return s;
    }

    private static void send(SSLSocket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    private static String readChunk(SSLSocket s) throws IOException {
        byte[] buffer = new byte[4096];
        int n = s.getInputStream().read(buffer);
        return n < 0 ? null : new String(buffer, 0, n, StandardCharsets.UTF_8);
    }

    private static String readUntil(InputStream in, String expected) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int length = expected.getBytes(StandardCharsets.UTF_8).length;
        while (got.size() < length) {
            int b = in.read();
            if (b < 0) break;
            got.write(b);
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) >= 0; ) got.write(b);
        } catch (SocketException e) {
            // closed: as good as the end
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}

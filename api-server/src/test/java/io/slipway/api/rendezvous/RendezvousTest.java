package io.slipway.api.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.TestCertificates;
import io.slipway.api.support.TestDeploys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The heroku run rendezvous over real TLS sockets: a "CLI" and a "dyno" meet by the secret of a one-off
 * created through the API, as cli-compat C.2 and the runtime contract describe.
 */
class RendezvousTest extends ApiTest {
    @Autowired
    ApplicationContext context;

    @Test
    void pairsTheCliWithItsDynoAndPipesBothWays() throws Exception {
        URI attach = runAttached();
        String secret = attach.getPath().substring(1);
        try (SSLSocket cli = connect(attach)) {
            send(cli, secret + "\r\n");
            // the banner comes at once, alone in its record: the CLI throws its first chunk away
            assertThat(readChunk(cli)).isEqualTo("rendezvous\r\n");
            // typed before the dyno is there: held until it is
            send(cli, "echo hi\n");
            try (SSLSocket dyno = connect(attach)) {
                send(dyno, "dyno " + secret + "\r\n");
                assertThat(readUntil(dyno.getInputStream(), "echo hi\n")).isEqualTo("echo hi\n");
                send(dyno, "hi\r\n");
                assertThat(readUntil(cli.getInputStream(), "hi\r\n")).isEqualTo("hi\r\n");
                send(cli, "more\n");
                assertThat(readUntil(dyno.getInputStream(), "more\n")).isEqualTo("more\n");
            }
            // the process is done (dyno side closed); the CLI sends its EOF byte, then the session closes
            send(cli, "\u0004");
            assertThat(readToEnd(cli.getInputStream())).isEmpty();
        }
    }

    @Test
    void outputOfAnEarlyDynoWaitsForTheBannerAndTheSessionEndsWithoutTheCliClosing() throws Exception {
        URI attach = runAttached();
        String secret = attach.getPath().substring(1);
        try (SSLSocket dyno = connect(attach)) {
            send(dyno, "dyno " + secret + "\r\n");
            send(dyno, "early output\n");
            try (SSLSocket cli = connect(attach)) {
                send(cli, secret + "\r\n");
                assertThat(readChunk(cli)).isEqualTo("rendezvous\r\n");
                assertThat(readUntil(cli.getInputStream(), "early output\n")).isEqualTo("early output\n");
                dyno.close();
                // no \x04 from the CLI: the session still closes (after a short grace)
                assertThat(readToEnd(cli.getInputStream())).isEmpty();
            }
        }
    }

    @Test
    void unknownSecretsAreClosedWithoutABanner() throws Exception {
        URI attach = runAttached();
        for (String line : new String[] {"0123456789abcdef0123456789abcdef\r\n", "dyno 0123456789abcdef0123456789abcdef\r\n",
                "not a secret at all\r\n"}) {
            try (SSLSocket s = connect(attach)) {
                send(s, line);
                assertThat(readToEnd(s.getInputStream())).isEmpty();
            }
        }
    }

    private URI runAttached() {
        User alice = newUser();
        String app = uniqueAppName("rdv");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        JsonNode run = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":true,\"command\":\"bash\",\"env\":{\"TERM\":\"dumb\"}}").send().expect(201).json();
        return URI.create(run.path("attach_url").asText());
    }

    private static SSLSocket connect(URI attach) throws IOException {
        SSLSocket s = (SSLSocket) TestCertificates.clientContext().getSocketFactory()
                .createSocket(attach.getHost(), attach.getPort());
        s.setSoTimeout(30_000);
        s.startHandshake();
        return s;
    }

    private static void send(SSLSocket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    /** One read: what one TLS record brought. */
    private static String readChunk(SSLSocket s) throws IOException {
        byte[] buffer = new byte[4096];
        int n = s.getInputStream().read(buffer);
        return n < 0 ? null : new String(buffer, 0, n, StandardCharsets.UTF_8);
    }

    private static String readUntil(InputStream in, String expected) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < expected.getBytes(StandardCharsets.UTF_8).length) {
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

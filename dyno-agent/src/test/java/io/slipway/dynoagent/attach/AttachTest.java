package io.slipway.dynoagent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.agents.Assignment;
import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.lifecycle.DynoContext;
import io.slipway.dynoagent.lifecycle.DynoSupervisor;
import io.slipway.dynoagent.lifecycle.PortAllocator;
import io.slipway.dynoagent.slugs.SlugCache;
import io.slipway.dynoagent.support.Slugs;
import io.slipway.dynoagent.support.StubApiServer;
import io.slipway.dynoagent.support.TestAgents;
import io.slipway.shared.http.TrustedHttpClients;
import io.slipway.shared.logs.LogShipper;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code heroku run}: the one-off connects out to a (test) rendezvous over TLS and pipes both ways. */
class AttachTest {
    @TempDir
    static Path certDir;
    static TestRendezvous rendezvous; // one per class: keytool takes seconds

    @TempDir
    Path tmp;
    StubApiServer api;
    DynoContext ctx;
    LogShipper logs;
    String slugUrl;
    String checksum;

    @BeforeEach
    void setUp() throws Exception {
        api = new StubApiServer();
        AgentConfig config = TestAgents.config(api, tmp.resolve("data"));
        HttpClient http = HttpClient.newHttpClient();
        logs = new LogShipper(config.apiUrl(), config.internalToken(), http);
        ctx = new DynoContext(config, TestAgents.driver(config), new SlugCache(config.dataDir().resolve("slugs"), http),
                new PortAllocator(config.portFrom(), config.portTo()),
                new AgentsClient(new InternalTransport(config.apiUrl(), config.internalToken(), http), config.agentId()), logs,
                TrustedHttpClients.sslContextTrusting(rendezvous.caPem));
        Path slug = Slugs.build(tmp, Map.of("greet.sh", "#!/bin/bash\nread name\necho \"hello $name\"\n"));
        slugUrl = api.serve("slug.tgz", slug);
        checksum = Slugs.checksum(slug);
    }

    @AfterEach
    void tearDown() throws Exception {
        logs.close();
        api.close();
        ctx.driver().close();
    }

    @BeforeAll
    static void startRendezvous() throws Exception {
        rendezvous = new TestRendezvous(certDir);
    }

    @AfterAll
    static void stopRendezvous() throws Exception {
        rendezvous.close();
    }

    private Map<String, Object> attached(String command, boolean tty) {
        Map<String, Object> a = TestAgents.assignment("run.7", command, slugUrl, checksum);
        Map<String, Object> attach = new LinkedHashMap<>();
        attach.put("host", "127.0.0.1");
        attach.put("port", (long) rendezvous.port());
        attach.put("secret", "0123456789abcdef0123456789abcdef");
        attach.put("tty", tty);
        a.put("attach", attach);
        return a;
    }

    @Test
    void withoutATtyInputIsPipedUntilCtrlDAndOutputComesBack() throws Exception {
        CompletableFuture<String[]> session = rendezvous.session(
                "world\nmore input\n\u0004".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> a = attached("./greet.sh; cat; echo bye; exit 5", false);
        String id = (String) a.get("dyno_id");
        DynoSupervisor s = new DynoSupervisor(Assignment.parse(a), ctx, x -> { });
        s.start();
        String[] got = session.get(90, TimeUnit.SECONDS);
        assertEquals("dyno 0123456789abcdef0123456789abcdef\r", got[0]);
        assertEquals("hello world\nmore input\nbye\n", got[1]);
        assertTrue(s.awaitFinished(Duration.ofSeconds(60)));
        Map<String, Object> last = api.stateReports.get(api.stateReports.size() - 1);
        assertEquals(id, last.get("dyno_id"));
        assertEquals("down", last.get("state"));
        assertEquals(5L, last.get("exit_code"));
        assertTrue(api.messages("app", "run.7").isEmpty(), "attached output goes to the user, not the logs");
    }

    @Test
    void withATtyTheCommandRunsUnderAPseudoTerminal() throws Exception {
        CompletableFuture<String[]> session = rendezvous.session("abc\n".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> a = attached("if [ -t 0 ] && [ -t 1 ]; then echo on-a-tty; fi; ./greet.sh", true);
        DynoSupervisor s = new DynoSupervisor(Assignment.parse(a), ctx, x -> { });
        s.start();
        String[] got = session.get(90, TimeUnit.SECONDS);
        assertTrue(got[1].contains("on-a-tty"), got[1]);
        assertTrue(got[1].contains("hello abc"), got[1]);
        assertTrue(s.awaitFinished(Duration.ofSeconds(60)));
        assertEquals(0L, api.stateReports.get(api.stateReports.size() - 1).get("exit_code"));
    }

    @Test
    void whenTheUserGoesAwayTheOneOffIsStopped() throws Exception {
        for (boolean tty : new boolean[] {false, true}) {
            // without a tty the CLI has already sent Ctrl-D (its stdin ended); with one the session is interactive
            CompletableFuture<String> session = rendezvous.hangUpAfter(
                    (tty ? "" : "\u0004").getBytes(StandardCharsets.UTF_8), "tick");
            Map<String, Object> a = attached("while true; do echo tick; sleep 1; done", tty);
            DynoSupervisor s = new DynoSupervisor(Assignment.parse(a), ctx, x -> { });
            s.start();
            try {
                assertTrue(session.get(90, TimeUnit.SECONDS).contains("tick"), "tty " + tty);
                assertTrue(s.awaitFinished(Duration.ofSeconds(60)), "the one-off dyno stops when its client is gone "
                        + "(tty " + tty + ")");
            } finally { // a failed run must not leave the endless loop behind in its container
                s.shutdown();
                s.awaitFinished(Duration.ofSeconds(60));
            }
            assertEquals("down", api.stateReports.get(api.stateReports.size() - 1).get("state"));
            // the line reaches the api-server through the log shipper's next batch, not with the dyno's end
            StubApiServer.await("the app's log to say why (tty " + tty + ")", x -> api.messages("heroku", "run.7")
                    .stream().anyMatch(m -> m.contains("Client connection closed")));
        }
    }
}
